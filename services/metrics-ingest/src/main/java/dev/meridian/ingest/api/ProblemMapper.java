package dev.meridian.ingest.api;

import dev.meridian.ingest.intake.IntakeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place errors become {@code application/problem+json}. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response intake(IntakeException e, UriInfo uri) {
        return switch (e.kind()) {
            case UNPARSEABLE -> problem(Problem.UNPARSEABLE_BODY, "Body cannot be parsed", 400, e, uri);
            case TOO_LARGE -> problem(Problem.BODY_TOO_LARGE, "Body too large", 413, e, uri);
            case UNAVAILABLE -> problem(Problem.BROKER_UNAVAILABLE, "Not acknowledged by Kafka; retry", 503, e, uri);
        };
    }

    /** JAX-RS' own errors (415 wrong content type, 405, 404) in the same shape. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return problem(Problem.BLANK, status.getReasonPhrase(), status.getStatusCode(), e, uri);
    }

    private static Response problem(URI type, String title, int status, Exception e, UriInfo uri) {
        return new Problem(type, title, status, e.getMessage(), URI.create(uri.getRequestUri().getRawPath()))
                .toResponse();
    }
}
