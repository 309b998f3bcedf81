package dev.meridian.scaler.streams;

import dev.meridian.contracts.scaling.ScaleAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The scaler's own meters, resolved once: the processor records on its hot path. */
public final class ScalerMetrics {

    /** Why a pool's input led to no decision. */
    public enum Skip {
        /** The pool is not in the registry (yet). */
        UNKNOWN_POOL,
        /** Its registry overrides contradict each other; logged with the pool. */
        INVALID_POOL_CONFIG
    }

    private final Map<ScaleAction, Counter> commands = new EnumMap<>(ScaleAction.class);
    private final Map<Skip, Counter> skipped = new EnumMap<>(Skip.class);
    private final Timer reaction;
    private final Timer decision;

    public ScalerMetrics(MeterRegistry registry) {
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
                        + "(with LogAppendTime topics: the brief's reaction)")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        decision = Timer.builder("meridian.scaler.decision")
                .description("Time to decide one pool: snapshot from the stores, policy, state write")
                .register(registry);
    }

    void published(ScaleAction action) {
        commands.get(action).increment();
    }

    void skipped(Skip reason) {
        skipped.get(reason).increment();
    }

    void reaction(Duration elapsed) {
        reaction.record(elapsed.isNegative() ? Duration.ZERO : elapsed);
    }

    void decision(long nanos) {
        decision.record(Duration.ofNanos(nanos));
    }
}
