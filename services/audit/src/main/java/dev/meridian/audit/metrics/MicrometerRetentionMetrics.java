package dev.meridian.audit.metrics;

import dev.meridian.audit.retention.RetentionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code audit_retention_dropped_partitions_total}, there from the first retention run on. */
@ApplicationScoped
public class MicrometerRetentionMetrics implements RetentionMetrics {

    private final MeterRegistry registry;

    MicrometerRetentionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void partitionsDropped(int partitions) {
        registry.counter("audit.retention.dropped.partitions").increment(partitions);
    }
}
