package dev.meridian.scheduler.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * An RFC 7807 problem document, the body of every error response.
 *
 * @param type     URI naming the problem type; {@code about:blank} when the status says it all
 * @param instance the request path that failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, URI instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /** Problem types of the scheduler, documented in the service README. */
    public static final URI UNKNOWN_CLIENT_REGION = URI.create("urn:meridian:problem:unknown-client-region");
    public static final URI NONE_ELIGIBLE = URI.create("urn:meridian:problem:none-eligible");
    public static final URI BLANK = URI.create("about:blank");

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
