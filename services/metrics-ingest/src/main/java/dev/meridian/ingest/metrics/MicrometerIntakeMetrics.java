package dev.meridian.ingest.metrics;

import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.IntakeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The intake counters. Names are Micrometer's dotted form; the Prometheus registry exposes them as
 * {@code meridian_ingest_samples_accepted_total{door}} and {@code meridian_ingest_samples_rejected_total{door,rule}}.
 */
// @Singleton, not @ApplicationScoped: built (and the accepted counters registered at zero) when first injected at
// startup, not lazily on the first sample behind a client proxy.
@Singleton
public class MicrometerIntakeMetrics implements IntakeMetrics {

    public static final String ACCEPTED = "meridian.ingest.samples.accepted";
    public static final String REJECTED = "meridian.ingest.samples.rejected";
    public static final String TAG_DOOR = "door";
    public static final String TAG_RULE = "rule";

    private final MeterRegistry registry;
    // Counted once per sample on the Kafka door's hot path: look each counter up once, not per call.
    private final Map<Door, Counter> accepted = new EnumMap<>(Door.class);
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public MicrometerIntakeMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (Door door : Door.values()) {
            accepted.put(door, registry.counter(ACCEPTED, TAG_DOOR, door.tag()));
        }
    }

    @Override
    public void accepted(Door door) {
        accepted.get(door).increment();
    }

    @Override
    public void rejected(Door door, String rule) {
        rejected.computeIfAbsent(door.tag() + '\u0000' + rule,
                key -> registry.counter(REJECTED, TAG_DOOR, door.tag(), TAG_RULE, rule)).increment();
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
