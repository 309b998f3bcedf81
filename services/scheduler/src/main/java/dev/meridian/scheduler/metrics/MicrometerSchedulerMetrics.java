package dev.meridian.scheduler.metrics;

import dev.meridian.policy.routing.Decision;
import dev.meridian.scheduler.messaging.SchedulerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code meridian_scheduler_weights_published_total{cause}} and {@code meridian_scheduler_weights_failed_total{cause}},
 * each cause there from its first version on.
 */
@ApplicationScoped
public class MicrometerSchedulerMetrics implements SchedulerMetrics {

    private final MeterRegistry registry;

    public MicrometerSchedulerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void weightsPublished(Decision.Cause cause) {
        registry.counter("meridian.scheduler.weights.published", "cause", cause.name()).increment();
    }

    @Override
    public void weightsFailed(Decision.Cause cause) {
        registry.counter("meridian.scheduler.weights.failed", "cause", cause.name()).increment();
    }
}
