package dev.meridian.fleetsim.emit;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which door of metrics-ingest the simulator's node samples take.
 *
 * @param kind           {@link Kind#KAFKA} needs no URL
 * @param ingestUrl      metrics-ingest's base URL (e.g. {@code http://127.0.0.1:8081}); null for Kafka
 * @param requestTimeout how long one HTTP request may take before it counts as failed
 * @param maxPending     HTTP requests allowed in flight or queued; a tick beyond that is dropped and counted,
 *                       so a slow or absent ingest never holds the tick loop
 * @param bearerToken    the caller's token for metrics-ingest's doors (role agent, and termination-handler for
 *                       notices), asked for each request so a long run never sends an expired one; null sends none
 */
public record Emission(Kind kind, URI ingestUrl, Duration requestTimeout, int maxPending,
        Supplier<String> bearerToken) {

    public enum Kind {
        /** NodeMetric JSON on {@code meridian.metrics.raw.v1}, probes and notices on their topics. */
        KAFKA("kafka"),
        /**
         * Each tick one JSON array to {@code POST /v1/metrics}; notices to {@code /v1/interruptions}; probes on Kafka.
         */
        HTTP("http"),
        /**
         * Each tick one Prometheus remote_write request (DCGM, node_exporter and probe series) to
         * {@code POST /api/v1/write}; notices to {@code /v1/interruptions}.
         */
        REMOTE_WRITE("remote-write");

        private final String option;

        Kind(String option) {
            this.option = option;
        }

        /** The command-line spelling: {@code kafka}, {@code http}, {@code remote-write}. */
        public String option() {
            return option;
        }

        public static Kind of(String option) {
            String normalized = option.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Kind kind : values()) {
                if (kind.option.equals(normalized)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("emission must be kafka, http or remote-write, was '" + option + "'");
        }
    }

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_PENDING = 5;

    public Emission {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (kind != Kind.KAFKA && ingestUrl == null) {
            throw new IllegalArgumentException(kind.option() + " emission needs metrics-ingest's URL");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || maxPending < 1) {
            throw new IllegalArgumentException("requestTimeout must be positive and maxPending at least 1");
        }
    }

    public static Emission kafka() {
        return new Emission(Kind.KAFKA, null, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_PENDING, null);
    }

    /** {@code kind} against metrics-ingest at {@code ingestUrl} (ignored for Kafka). */
    public static Emission of(Kind kind, URI ingestUrl) {
        return new Emission(kind, kind == Kind.KAFKA ? null : ingestUrl, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_PENDING,
                null);
    }

    public Emission withLimits(Duration timeout, int pending) {
        return new Emission(kind, ingestUrl, timeout, pending, bearerToken);
    }

    /** The same doors, each request carrying {@code Authorization: Bearer <token>} from {@code token}. */
    public Emission withBearerToken(Supplier<String> token) {
        return new Emission(kind, ingestUrl, requestTimeout, maxPending, token);
    }

    /** {@code base} and, with a token, the {@code Authorization} header. */
    Map<String, String> headers(Map<String, String> base) {
        if (bearerToken == null) {
            return base;
        }
        Map<String, String> headers = new HashMap<>(base);
        headers.put("Authorization", "Bearer " + bearerToken.get());
        return headers;
    }

    /** {@code path} under the ingest URL, whether or not the URL ends with a slash. */
    URI endpoint(String path) {
        String base = ingestUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
