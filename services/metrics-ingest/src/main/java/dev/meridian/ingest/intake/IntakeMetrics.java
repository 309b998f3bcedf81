package dev.meridian.ingest.intake;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * The intake counters. Names are Micrometer's dotted form; the Prometheus registry exposes them as
 * {@code meridian_ingest_samples_accepted_total{door}} and {@code meridian_ingest_samples_rejected_total{door,rule}}.
 */
public final class IntakeMetrics {

    public static final String ACCEPTED = "meridian.ingest.samples.accepted";
    public static final String REJECTED = "meridian.ingest.samples.rejected";
    public static final String TAG_DOOR = "door";
    public static final String TAG_RULE = "rule";

    private final MeterRegistry registry;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    public void accepted(Door door) {
        registry.counter(ACCEPTED, TAG_DOOR, door.tag()).increment();
    }

    public void rejected(Door door, String rule) {
        registry.counter(REJECTED, TAG_DOOR, door.tag(), TAG_RULE, rule).increment();
    }

    public double acceptedCount(Door door) {
        var counter = registry.find(ACCEPTED).tag(TAG_DOOR, door.tag()).counter();
        return counter == null ? 0 : counter.count();
    }

    public double rejectedCount(Door door, String rule) {
        var counter = registry.find(REJECTED).tag(TAG_DOOR, door.tag()).tag(TAG_RULE, rule).counter();
        return counter == null ? 0 : counter.count();
    }
}
