package dev.meridian.policy.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * The scaling policy's parameters for one pool: {@link #DEFAULTS} with the registry's per-pool overrides applied.
 * Utilizations are percentages. Window conditions (sustain, stabilization, cooldown) are judged in window time, so
 * a replay of the same windows decides the same; deadlines of the outside world (provisioning, drain) are judged
 * against the {@code now} handed to {@link ScalingPolicy#decide}.
 *
 * @param scaleOutUtilization     load above which the pool is hot (default 80)
 * @param scaleInUtilization      load below which the pool is cold (default 30)
 * @param targetUtilization       the load a scaling decision aims for: desired = ceil(ready · load / target)
 *                                (default 60)
 * @param memoryResizeUtilization GPU memory peak above which the pool moves up its ladder (default 95)
 * @param sustainWindows          consecutive windows a hot or memory condition must hold (default 3)
 * @param stabilization           how long the pool must stay cold before it shrinks (default 5 min)
 * @param cooldown                no scale-in until this long after the last scale-out (default 5 min)
 * @param maxStep                 nodes one decision may add or remove at most (default 4)
 * @param drainPeriod             between DRAIN and SCALE_IN, so in-flight requests finish (default 60 s)
 * @param provisioningTimeout     requested capacity not arrived after this long is given up and may be asked for
 *                                again (default 5 min: a cold start takes about 85 s in real clouds)
 * @param queueDepthThreshold     when set, the hot condition also needs the pool's average queue depth above it
 *                                (default unset)
 * @param kvCacheThreshold        when set, the hot condition also needs the pool's KV-cache utilization above it
 *                                (default unset)
 */
public record ScalingSettings(
        double scaleOutUtilization,
        double scaleInUtilization,
        double targetUtilization,
        double memoryResizeUtilization,
        int sustainWindows,
        Duration stabilization,
        Duration cooldown,
        int maxStep,
        Duration drainPeriod,
        Duration provisioningTimeout,
        Double queueDepthThreshold,
        Double kvCacheThreshold) {

    public static final ScalingSettings DEFAULTS = new ScalingSettings(80, 30, 60, 95, 3, Duration.ofMinutes(5),
            Duration.ofMinutes(5), 4, Duration.ofSeconds(60), Duration.ofMinutes(5), null, null);

    public ScalingSettings {
        percent("scaleOutUtilization", scaleOutUtilization);
        percent("scaleInUtilization", scaleInUtilization);
        percent("targetUtilization", targetUtilization);
        percent("memoryResizeUtilization", memoryResizeUtilization);
        // The same order the registry's CHECK constraints keep: otherwise a scale-out could land the pool cold
        // (or a scale-in hot) and the pool would oscillate by construction.
        if (!(scaleInUtilization < targetUtilization && targetUtilization < scaleOutUtilization)) {
            throw new IllegalArgumentException("need scaleIn < target < scaleOut, was " + scaleInUtilization + " / "
                    + targetUtilization + " / " + scaleOutUtilization);
        }
        if (targetUtilization <= 0) {
            throw new IllegalArgumentException("targetUtilization must be positive");
        }
        if (sustainWindows < 1 || maxStep < 1) {
            throw new IllegalArgumentException("sustainWindows and maxStep must be at least 1, were " + sustainWindows
                    + " and " + maxStep);
        }
        notNegative("stabilization", stabilization);
        notNegative("cooldown", cooldown);
        notNegative("drainPeriod", drainPeriod);
        notNegative("provisioningTimeout", provisioningTimeout);
        if (provisioningTimeout.isZero()) {
            throw new IllegalArgumentException("provisioningTimeout must be positive");
        }
        if (queueDepthThreshold != null && !(queueDepthThreshold >= 0)) {
            throw new IllegalArgumentException("queueDepthThreshold must be >= 0, was " + queueDepthThreshold);
        }
        if (kvCacheThreshold != null) {
            percent("kvCacheThreshold", kvCacheThreshold);
        }
    }

    public ScalingSettings withThresholds(double scaleOut, double scaleIn, double target) {
        return new ScalingSettings(scaleOut, scaleIn, target, memoryResizeUtilization, sustainWindows, stabilization,
                cooldown, maxStep, drainPeriod, provisioningTimeout, queueDepthThreshold, kvCacheThreshold);
    }

    public ScalingSettings withMemoryResizeUtilization(double memoryResize) {
        return new ScalingSettings(scaleOutUtilization, scaleInUtilization, targetUtilization, memoryResize,
                sustainWindows, stabilization, cooldown, maxStep, drainPeriod, provisioningTimeout,
                queueDepthThreshold, kvCacheThreshold);
    }

    public ScalingSettings withSustainWindows(int windows) {
        return new ScalingSettings(scaleOutUtilization, scaleInUtilization, targetUtilization, memoryResizeUtilization,
                windows, stabilization, cooldown, maxStep, drainPeriod, provisioningTimeout, queueDepthThreshold,
                kvCacheThreshold);
    }

    public ScalingSettings withScaleInTiming(Duration stabilization, Duration cooldown) {
        return new ScalingSettings(scaleOutUtilization, scaleInUtilization, targetUtilization, memoryResizeUtilization,
                sustainWindows, stabilization, cooldown, maxStep, drainPeriod, provisioningTimeout,
                queueDepthThreshold, kvCacheThreshold);
    }

    public ScalingSettings withMaxStep(int step) {
        return new ScalingSettings(scaleOutUtilization, scaleInUtilization, targetUtilization, memoryResizeUtilization,
                sustainWindows, stabilization, cooldown, step, drainPeriod, provisioningTimeout, queueDepthThreshold,
                kvCacheThreshold);
    }

    public ScalingSettings withDeadlines(Duration drain, Duration provisioning) {
        return new ScalingSettings(scaleOutUtilization, scaleInUtilization, targetUtilization, memoryResizeUtilization,
                sustainWindows, stabilization, cooldown, maxStep, drain, provisioning, queueDepthThreshold,
                kvCacheThreshold);
    }

    /** Combined hot condition; a null threshold leaves that signal out. */
    public ScalingSettings withCombinedConditions(Double queueDepth, Double kvCache) {
        return new ScalingSettings(scaleOutUtilization, scaleInUtilization, targetUtilization, memoryResizeUtilization,
                sustainWindows, stabilization, cooldown, maxStep, drainPeriod, provisioningTimeout, queueDepth,
                kvCache);
    }

    private static void percent(String name, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " must be within 0..100, was " + value);
        }
    }

    private static void notNegative(String name, Duration duration) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
    }
}
