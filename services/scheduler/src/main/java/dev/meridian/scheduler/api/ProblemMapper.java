package dev.meridian.scheduler.api;

import dev.meridian.service.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * This service's own errors as {@code application/problem+json}; a bad parameter and JAX-RS' own errors are
 * answered alike in every service by {@link dev.meridian.service.problem.CommonProblems}.
 */
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
}
