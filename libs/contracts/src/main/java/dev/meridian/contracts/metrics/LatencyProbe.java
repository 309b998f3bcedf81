package dev.meridian.contracts.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * Round-trip time from a client region to a serving region. Keyed {@code fromRegion/toRegion} on a
 * compacted topic, so the latest probe per pair is the latency matrix.
 *
 * @param source who measured it (e.g. {@code blackbox-exporter}, {@code fleet-sim})
 */
public record LatencyProbe(
        @JsonProperty(required = true) String fromRegion,
        @JsonProperty(required = true) String toRegion,
        @JsonProperty(required = true) double rttMs,
        @JsonProperty(required = true) Instant observedAt,
        @JsonProperty(required = true) String source) implements Validated {

    /** The record key on {@code meridian.latency.v1}. */
    public String key() {
        return fromRegion + "/" + toRegion;
    }

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .id("fromRegion", fromRegion)
                .id("toRegion", toRegion)
                .nonNegative("rttMs", rttMs)
                .required("observedAt", observedAt)
                .id("source", source)
                .result();
    }
}
