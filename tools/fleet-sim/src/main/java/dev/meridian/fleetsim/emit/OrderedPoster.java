package dev.meridian.fleetsim.emit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POSTs one request after the other, without blocking the caller. In order because ingest's remote_write
 * intake refuses a node's counter reading that is not newer than the one before (and the windows drop samples
 * that arrive after their window closed). Bounded: with {@code maxPending} requests already queued or in
 * flight a new one is dropped and counted, so a slow or absent ingest costs samples, never the tick loop.
 * A non-2xx answer, a timeout or a refused connection counts as one failure.
 */
final class OrderedPoster implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final int SNIPPET = 200;

    private final HttpClient client;
    private final Duration requestTimeout;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;
    /** The last request queued; only the tick thread touches it. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    OrderedPoster(Duration requestTimeout, int maxPending) {
        // HTTP/1.1: the JDK client's default (HTTP/2) would first try an h2c upgrade on every plain-http connection.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.requestTimeout = requestTimeout;
        this.maxPending = maxPending;
    }

    /** Queues the POST behind the earlier ones; returns at once. */
    void post(URI uri, Map<String, String> headers, byte[] body) {
        if (pending.get() >= maxPending) {
            fail("dropped a request to " + uri.getPath() + ": " + maxPending + " earlier requests still pending");
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpRequest built = request.build();
        pending.incrementAndGet();
        tail = tail.thenCompose(previous -> send(built));
    }

    private CompletableFuture<Void> send(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> response;
        try {
            response = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        // Never completes exceptionally, so one failure does not cut the chain for the requests behind it.
        return response.handle((answer, error) -> {
            pending.decrementAndGet();
            if (error != null) {
                fail("POST " + request.uri().getPath() + " failed: " + rootCause(error));
            } else if (answer.statusCode() / 100 != 2) {
                String body = answer.body() == null ? "" : answer.body();
                fail("POST " + request.uri().getPath() + " answered " + answer.statusCode() + ": "
                        + (body.length() > SNIPPET ? body.substring(0, SNIPPET) + "…" : body));
            }
            return null;
        });
    }

    private void fail(String reason) {
        failures.incrementAndGet();
        lastFailure = reason;
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    long failures() {
        return failures.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    /** Waits for the queued requests, at most one request timeout plus a second. */
    @Override
    public void close() {
        try {
            tail.get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            fail("requests still pending at close: " + e);
        }
    }
}
