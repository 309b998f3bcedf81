package dev.meridian.cost.api;

import dev.meridian.problem.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place errors become {@code application/problem+json}. */
public class ProblemMapper {

    /** Problem types of the cost service, documented in the service README. */
    public static final URI INVALID_PARAMETER = Problem.type("invalid-parameter");

    @ServerExceptionMapper
    public Response badQuery(BadQueryException e, UriInfo uri) {
        return Problem.of(INVALID_PARAMETER, "Invalid parameter: " + e.parameter(), 400, e.getMessage(), uri)
                .toResponse();
    }

    /** JAX-RS' own errors (404, 405, 503 while stores restore) in the same shape. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }
}
