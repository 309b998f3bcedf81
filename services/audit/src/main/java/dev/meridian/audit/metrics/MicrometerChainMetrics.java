package dev.meridian.audit.metrics;

import dev.meridian.audit.streams.ChainMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code audit_chain_appended_total{kind}} and {@code audit_chain_dropped_total{reason}}. */
@ApplicationScoped
public class MicrometerChainMetrics implements ChainMetrics {

    private final MeterRegistry registry;

    MicrometerChainMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void appended(String kind) {
        Counter.builder("audit.chain.appended").description("entries appended to a region's chain")
                .tag("kind", kind).register(registry).increment();
    }

    @Override
    public void dropped(String reason) {
        // Reasons are a small fixed set, except "unreadable: ..." whose detail would explode the tag's cardinality.
        String tag = reason.startsWith("unreadable") ? "unreadable"
                : reason.startsWith("not an operation topic") ? "not an operation topic" : reason;
        Counter.builder("audit.chain.dropped").description("input records that are not (new) operations")
                .tag("reason", tag).register(registry).increment();
    }
}
