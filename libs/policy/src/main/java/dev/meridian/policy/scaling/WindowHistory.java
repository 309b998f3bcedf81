package dev.meridian.policy.scaling;

import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.policy.scaling.PoolScalingState.Streak;
import java.time.Duration;
import java.time.Instant;

/**
 * What earlier windows established for the next one: the newest window processed, the three sustain counts and when
 * the pool last grew. Every trigger needs its condition held for a whole period without interruption, which is what
 * keeps a load oscillating around a threshold from flapping the pool.
 */
final class WindowHistory {

    private Instant lastWindowEnd;
    private Streak hot;
    private Streak cold;
    private Streak memory;
    private Instant lastScaleOutAt;

    WindowHistory(PoolScalingState state) {
        lastWindowEnd = state.lastWindowEnd();
        hot = state.hot();
        cold = state.cold();
        memory = state.memory();
        lastScaleOutAt = state.lastScaleOutAt();
    }

    /** A redelivered or older window must change nothing. */
    boolean isNew(PoolUtilization window) {
        return lastWindowEnd == null || window.windowEnd().isAfter(lastWindowEnd);
    }

    void observe(PoolUtilization window, boolean isHot, boolean isCold, boolean memoryPressure) {
        hot = extend(hot, isHot, window);
        cold = extend(cold, isCold, window);
        memory = extend(memory, memoryPressure, window);
        lastWindowEnd = window.windowEnd();
    }

    /**
     * A window while an operator holds autoscaling: processed (a redelivery stays ignored), but it counts towards no
     * condition, so once the hold ends every trigger needs fresh evidence from windows after it.
     */
    void hold(PoolUtilization window) {
        hot = Streak.NONE;
        cold = Streak.NONE;
        memory = Streak.NONE;
        lastWindowEnd = window.windowEnd();
    }

    /** A streak continues only on the window that starts where its last one ended: a missing window restarts it. */
    private static Streak extend(Streak streak, boolean holds, PoolUtilization window) {
        if (!holds) {
            return Streak.NONE;
        }
        if (streak.windows() > 0 && window.windowStart().equals(streak.lastEnd())) {
            return new Streak(streak.windows() + 1, streak.since(), window.windowEnd());
        }
        return new Streak(1, window.windowStart(), window.windowEnd());
    }

    void restartHot() {
        hot = Streak.NONE;
    }

    void restartCold() {
        cold = Streak.NONE;
    }

    void restartMemory() {
        memory = Streak.NONE;
    }

    void grewAt(Instant windowEnd) {
        lastScaleOutAt = windowEnd;
    }

    boolean coolingDown(Instant windowEnd, Duration cooldown) {
        return lastScaleOutAt != null && windowEnd.isBefore(lastScaleOutAt.plus(cooldown));
    }

    /** Cold for the whole stabilization window up to {@code windowEnd}. */
    boolean stablyCold(Instant windowEnd, Duration stabilization) {
        return cold.windows() > 0 && Duration.between(cold.since(), windowEnd).compareTo(stabilization) >= 0;
    }

    Instant lastWindowEnd() {
        return lastWindowEnd;
    }

    Streak hot() {
        return hot;
    }

    Streak cold() {
        return cold;
    }

    Streak memory() {
        return memory;
    }

    Instant lastScaleOutAt() {
        return lastScaleOutAt;
    }
}
