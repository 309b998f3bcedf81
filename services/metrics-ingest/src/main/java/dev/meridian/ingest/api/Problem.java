package dev.meridian.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * An RFC 7807 problem document, the body of every error response of the doors.
 *
 * @param type     URI naming the problem type; {@code about:blank} when the status says it all
 * @param instance the request path that failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, URI instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /** Problem types of the doors, documented in the service README. */
    public static final URI UNPARSEABLE_BODY = URI.create("urn:meridian:problem:unparseable-body");
    public static final URI BODY_TOO_LARGE = URI.create("urn:meridian:problem:body-too-large");
    public static final URI BROKER_UNAVAILABLE = URI.create("urn:meridian:problem:broker-unavailable");
    public static final URI BLANK = URI.create("about:blank");

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
