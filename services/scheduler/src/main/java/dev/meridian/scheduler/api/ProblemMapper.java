package dev.meridian.scheduler.api;

import dev.meridian.problem.InvalidParameterException;
import dev.meridian.problem.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place errors become {@code application/problem+json}. */
public class ProblemMapper {

    /** Problem types of the scheduler, documented in the service README. */
    public static final URI UNKNOWN_CLIENT_REGION = Problem.type("unknown-client-region");
    public static final URI NONE_ELIGIBLE = Problem.type("none-eligible");

    @ServerExceptionMapper
    public Response routing(RoutingException e, UriInfo uri) {
        return switch (e.kind()) {
            case UNKNOWN_CLIENT_REGION -> Problem.of(UNKNOWN_CLIENT_REGION, "Unknown client region", 404, e.getMessage(), uri)
                    .toResponse();
            case NONE_ELIGIBLE -> Problem.of(NONE_ELIGIBLE, "No eligible region or node", 503, e.getMessage(), uri)
                    .toResponse();
        };
    }

    /** A bad query parameter: {@link Problem#INVALID_PARAMETER}, as in every service. */
    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }

    /** JAX-RS' own errors (405, 404) in the same shape. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return Problem.of(e, uri).toResponse();
    }
}
