package dev.meridian.scaler.streams;

import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionStatus;
import dev.meridian.contracts.scaling.ScaleAction;
import java.time.Duration;

/** What the scaling processor measures; {@code metrics.MicrometerScalerMetrics} in the service. */
public interface ScalerMetrics {

    /** Measures nothing, for tests and benchmarks that do not look. */
    ScalerMetrics NONE = new ScalerMetrics() {
    };

    /** Why a pool's input led to no decision. */
    enum Skip {
        /** The pool is not in the registry (yet). */
        UNKNOWN_POOL,
        /** Its registry overrides contradict each other; logged with the pool. */
        INVALID_POOL_CONFIG
    }

    default void published(ScaleAction action) {
    }

    default void skipped(Skip reason) {
    }

    /** From the triggering window's record timestamp to its command being published. */
    default void reaction(Duration elapsed) {
    }

    default void decision(long nanos) {
    }

    /** An operator's action taken up: {@code APPLIED} or {@code REJECTED}. */
    default void action(ActionKind kind, ActionStatus status) {
    }
}
