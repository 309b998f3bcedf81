package dev.meridian.ingest.api;

import dev.meridian.ingest.intake.IntakeException;
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

    /** Problem types of the doors, documented in the service README. */
    public static final URI UNPARSEABLE_BODY = Problem.type("unparseable-body");
    public static final URI BODY_TOO_LARGE = Problem.type("body-too-large");
    public static final URI REQUEST_OVER_LIMIT = Problem.type("request-over-limit");
    public static final URI ITEM_OVER_LIMIT = Problem.type("item-over-limit");
    public static final URI BROKER_UNAVAILABLE = Problem.type("broker-unavailable");

    @ServerExceptionMapper
    public Response intake(IntakeException e, UriInfo uri) {
        Problem problem = switch (e.kind()) {
            case UNPARSEABLE -> Problem.of(UNPARSEABLE_BODY, "Body cannot be parsed", 400, e.getMessage(), uri);
            case TOO_LARGE -> Problem.of(BODY_TOO_LARGE, "Body too large", 413, e.getMessage(), uri);
            case TOO_MANY -> Problem.of(REQUEST_OVER_LIMIT, "Too many items in one request", 413, e.getMessage(), uri);
            case ITEM_OVER_LIMIT -> Problem.of(ITEM_OVER_LIMIT, "An item over a limit", 400, e.getMessage(), uri);
            case UNAVAILABLE -> Problem.of(BROKER_UNAVAILABLE, "Not acknowledged by Kafka; retry", 503, e.getMessage(), uri);
        };
        return problem.toResponse();
    }
}
