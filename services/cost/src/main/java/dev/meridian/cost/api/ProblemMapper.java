package dev.meridian.cost.api;

import dev.meridian.problem.InvalidParameterException;
import dev.meridian.problem.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place errors become {@code application/problem+json}. */
public class ProblemMapper {

    /** A bad query parameter: {@link Problem#INVALID_PARAMETER}, as in every service. */
    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }

    /** JAX-RS' own errors (404, 405, 503 while stores restore) in the same shape. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }
}
