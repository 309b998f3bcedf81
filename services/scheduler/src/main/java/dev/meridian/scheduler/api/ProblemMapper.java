package dev.meridian.scheduler.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place errors become {@code application/problem+json}. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response routing(RoutingException e, UriInfo uri) {
        return switch (e.kind()) {
            case UNKNOWN_CLIENT_REGION -> problem(Problem.UNKNOWN_CLIENT_REGION, "Unknown client region", 404, e, uri);
            case NONE_ELIGIBLE -> problem(Problem.NONE_ELIGIBLE, "No eligible region or node", 503, e, uri);
        };
    }

    /** JAX-RS' own errors (400 bad parameter, 405, 404) in the same shape. */
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
