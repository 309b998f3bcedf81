package dev.meridian.service.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * An RFC 7807 problem document, the body of every error response of every service.
 *
 * <p>Each service names its own problem types with {@link #type(String)} and documents them in its README; this
 * class only fixes the shape, so that an operator's tooling parses one format everywhere.
 *
 * @param type     URI naming the problem type; {@code about:blank} when the status says it all
 * @param instance the request path that failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, URI instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final URI BLANK = URI.create("about:blank");

    private static final String TYPE_PREFIX = "urn:meridian:problem:";

    /** A request parameter the service cannot answer, in every service: 400, the parameter named in the title. */
    public static final URI INVALID_PARAMETER = type("invalid-parameter");

    /** {@code urn:meridian:problem:<slug>}, the naming scheme of every Meridian problem type. */
    public static URI type(String slug) {
        if (slug == null || !slug.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("problem type slug must be lower-case words joined by '-', was " + slug);
        }
        return URI.create(TYPE_PREFIX + slug);
    }

    /** The problem for a failed request, its instance being the request's path. */
    public static Problem of(URI type, String title, int status, String detail, UriInfo request) {
        return new Problem(type, title, status, detail, URI.create(request.getRequestUri().getRawPath()));
    }

    /** The one answer to a bad parameter, whichever service it reaches. */
    public static Problem of(InvalidParameterException e, UriInfo request) {
        return of(INVALID_PARAMETER, "Invalid parameter: " + e.parameter(), 400, e.getMessage(), request);
    }

    /** JAX-RS' own errors (400 bad parameter, 404, 405, 415) in the same shape, titled by their reason phrase. */
    public static Problem of(WebApplicationException e, UriInfo request) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return of(BLANK, status.getReasonPhrase(), status.getStatusCode(), e.getMessage(), request);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
