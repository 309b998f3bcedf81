package dev.meridian.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.service.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Set;
import org.jboss.resteasy.reactive.server.vertx.VertxInputStream;

/**
 * The body limit ({@code meridian.ingest.http.max-body-size}, which {@code quarkus.http.limits.max-body-size}
 * follows) answered as RFC 7807 problem+json, also where Quarkus would answer a bare 413 with no body:
 * <ul>
 * <li>a declared Content-Length above the limit is refused here, before Quarkus' own check (route order -2) and
 * before anything of the body is read or a token checked; the connection is closed after the answer, as Quarkus
 * does, so the body is not drained either;</li>
 * <li>a chunked body (no Content-Length) to one of the doors: Quarkus would end its stream with a bare 413 once more
 * than the limit arrived. At the doors it is instead read through {@link Bodies#read}, which stops one byte past
 * the limit and answers problem+json; the connection is then closed if the body is not over.</li>
 * </ul>
 * Other paths keep Quarkus' own limit on chunked bodies (none of them reads a body).
 */
@ApplicationScoped
public class BodyLimit {

    /** Filters run at route order -priority: this one before Quarkus' Content-Length check (order -2). */
    static final int DECLARED_PRIORITY = 100;
    /** After Quarkus' check (-2), which marks a chunked body for its stream limit; before the REST handler. */
    static final int STREAMED_PRIORITY = 1;
    /** The endpoints that read their body through {@link Bodies#read}. */
    static final Set<String> DOORS = Set.of("/v1/metrics", "/v1/interruptions", "/api/v1/write");

    private static final int TOO_LARGE = 413;

    void register(@Observes Filters filters, IngestConfig config, ObjectMapper json) {
        long max = config.http().maxBodySize().asLongValue();
        filters.register(request -> declared(request, max, json), DECLARED_PRIORITY);
        filters.register(BodyLimit::streamed, STREAMED_PRIORITY);
    }

    private static void declared(RoutingContext request, long max, ObjectMapper json) {
        String declared = request.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = declared == null ? -1 : parse(declared);
        if (length <= max) {
            request.next();
            return;
        }
        Problem problem = new Problem(ProblemMapper.BODY_TOO_LARGE, "Body too large", TOO_LARGE, "the body has "
                + length + " bytes (Content-Length), more than the " + max
                + " allowed (meridian.ingest.http.max-body-size)", URI.create(request.request().path()));
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            request.fail(e);
            return;
        }
        closeAfter(request);
        request.response().setStatusCode(TOO_LARGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(body));
    }

    private static void streamed(RoutingContext request) {
        if (request.request().method() == HttpMethod.POST
                && DOORS.contains(withoutTrailingSlash(request.normalizedPath()))
                && request.remove(VertxInputStream.MAX_REQUEST_SIZE_KEY) != null) {
            // Bodies.read bounds this body; a 413 of it leaves the rest unread, so the connection cannot be reused.
            request.addHeadersEndHandler(ignored -> {
                if (refusedMidBody(request)) {
                    request.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
            });
            request.addEndHandler(ignored -> {
                if (refusedMidBody(request)) {
                    request.request().connection().close();
                }
            });
        }
        request.next();
    }

    private static boolean refusedMidBody(RoutingContext request) {
        return request.response().getStatusCode() == TOO_LARGE && !request.request().isEnded()
                && request.request().version() != HttpVersion.HTTP_2;
    }

    /** HTTP/1.x: says so and closes the connection once the answer is written (HTTP/2 resets only the stream). */
    private static void closeAfter(RoutingContext request) {
        HttpServerRequest http = request.request();
        if (http.version() == HttpVersion.HTTP_2) {
            return;
        }
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
        request.addEndHandler(ignored -> http.connection().close());
    }

    /** A malformed Content-Length is Netty's to refuse; here it only counts as not above the limit. */
    private static long parse(String declared) {
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
