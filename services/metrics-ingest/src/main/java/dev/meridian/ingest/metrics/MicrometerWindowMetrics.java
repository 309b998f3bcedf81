package dev.meridian.ingest.metrics;

import dev.meridian.ingest.streams.WindowMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Window metrics on /q/metrics; names are listed in the service README. */
@ApplicationScoped
public class MicrometerWindowMetrics implements WindowMetrics {

    private final MeterRegistry registry;
    private final Counter lateSamples;
    private final Counter lateNodeResults;
    private final Timer nodeEmitDelay;
    private final Timer poolEmitDelay;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();

    MicrometerWindowMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lateSamples = Counter.builder("meridian.ingest.samples.late")
                .description("Samples dropped because their window had closed").register(registry);
        this.lateNodeResults = Counter.builder("meridian.ingest.pool.late.node.results")
                .description("Node results that reached their pool after the pool window was emitted")
                .register(registry);
        this.nodeEmitDelay = Timer.builder("meridian.ingest.window.emit.delay").tag("level", "node")
                .description("Wall-clock time from a window closing (end + grace) to its result being emitted")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.poolEmitDelay = Timer.builder("meridian.ingest.window.emit.delay").tag("level", "pool")
                .description("Wall-clock time from a window closing (end + grace) to its result being emitted")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    @Override
    public void lateSampleDropped() {
        lateSamples.increment();
    }

    @Override
    public void nodeWindowEmitted(Duration afterClose) {
        nodeEmitDelay.record(afterClose);
    }

    @Override
    public void poolWindowEmitted(Duration afterClose) {
        poolEmitDelay.record(afterClose);
    }

    @Override
    public void lateNodeResultDropped() {
        lateNodeResults.increment();
    }

    /** The doors' rejected counter ({@link MicrometerIntakeMetrics#REJECTED}), the same meter for the same tags. */
    @Override
    public void sampleRefused(String door, String rule) {
        refused.computeIfAbsent(door + '\u0000' + rule, key -> registry.counter(MicrometerIntakeMetrics.REJECTED,
                MicrometerIntakeMetrics.TAG_DOOR, door, MicrometerIntakeMetrics.TAG_RULE, rule)).increment();
    }
}
