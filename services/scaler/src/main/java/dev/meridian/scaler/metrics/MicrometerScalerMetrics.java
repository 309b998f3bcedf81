package dev.meridian.scaler.metrics;

import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionStatus;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.scaler.actuator.ActuatorMetrics;
import dev.meridian.scaler.streams.ScalerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The scaler's own meters, resolved once: the processor records on its hot path. A singleton, not a lazy proxy: the
 * counters exist at zero from start, so an alert on their increase sees the first one.
 */
@Singleton
public class MicrometerScalerMetrics implements ScalerMetrics, ActuatorMetrics {

    private final MeterRegistry registry;
    private final Map<ScaleAction, Counter> commands = new EnumMap<>(ScaleAction.class);
    private final Map<Skip, Counter> skipped = new EnumMap<>(Skip.class);
    private final Timer reaction;
    private final Timer decision;

    public MicrometerScalerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ScaleAction action : ScaleAction.values()) {
            commands.put(action, Counter.builder("meridian.scaler.commands")
                    .description("Scale commands published, by action").tag("action", action.name())
                    .register(registry));
        }
        for (Skip reason : Skip.values()) {
            skipped.put(reason, Counter.builder("meridian.scaler.skipped")
                    .description("Pool inputs that led to no decision, by reason")
                    .tag("reason", reason.name().toLowerCase().replace('_', '-')).register(registry));
        }
        reaction = Timer.builder("meridian.scaler.reaction")
                .description("From the triggering pool window's record timestamp to its command being published "
                        + "(with LogAppendTime topics: the control loop's reaction)")
                // Buckets only: client-side quantiles under a histogram TYPE are refused by strict scrapers, and
                // histogram_quantile gives p50/p99 across replicas, which per-pod quantiles cannot.
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        decision = Timer.builder("meridian.scaler.decision")
                .description("Time to decide one pool: snapshot from the stores, policy, state write")
                .register(registry);
    }

    @Override
    public void published(ScaleAction action) {
        commands.get(action).increment();
    }

    @Override
    public void skipped(Skip reason) {
        skipped.get(reason).increment();
    }

    @Override
    public void reaction(Duration elapsed) {
        reaction.record(elapsed.isNegative() ? Duration.ZERO : elapsed);
    }

    @Override
    public void decision(long nanos) {
        decision.record(Duration.ofNanos(nanos));
    }

    @Override
    public void action(ActionKind kind, ActionStatus status) {
        Counter.builder("meridian.scaler.operator.actions")
                .description("Operators' actions taken up, by kind and status (APPLIED or REJECTED)")
                .tag("kind", kind.name()).tag("status", status.name()).register(registry).increment();
    }

    @Override
    public void applied(ScaleAction action, String result) {
        registry.counter("meridian.scaler.actuator.applied", "action", action.name(), "result", result).increment();
    }
}
