package dev.meridian.policy.routing;

import dev.meridian.policy.window.PoolWindowAggregate;
import java.time.Duration;
import java.util.Objects;

/**
 * The routing policy's parameters. Region weights are normalised to sum 1 per tier table, so {@code maxStep} and
 * {@code epsilon} are absolute shares of a client's traffic. Node weights are normalised over the table too, but a
 * home region can hold thousands of nodes, so their damping parameters are in multiples of the average node share
 * {@code 1/n}: {@code nodeEpsilon = 0.1} means "a node's share moved by a tenth of the average share", whether the
 * table holds 3 nodes or 3,000.
 *
 * @param interval            at most one damped version per interval (default 10 s, one utilization window)
 * @param maxStep             how far a region weight moves toward its target per damped version (default 0.1)
 * @param epsilon             a damped version is published only when some region target differs from the published
 *                            weight by more than this (default 0.05: loads of two regions that stay within any
 *                            10-point band never publish, see {@link RoutingPolicy})
 * @param nodeMaxStep         {@code maxStep} for node weights, in multiples of {@code 1/n} (default 0.5)
 * @param nodeEpsilon         {@code epsilon} for node weights, in multiples of {@code 1/n} (default 0.1)
 * @param heartbeat           the current version is republished (heartbeat = true) when nothing was published for
 *                            this long (default 30 s); at least {@code interval}
 * @param stalenessTimeout    a pool aggregate or node window whose end is this far behind {@code now} no longer
 *                            counts (default 30 s: two missed 10 s windows after the 5 s grace and 1 s emission)
 * @param saturationThreshold node load (percent) from which a node is excluded (default 95)
 * @param latencyFloorMs      latencies below this count as this, so a co-located region cannot take everything
 *                            through a near-zero divisor (default 1 ms)
 */
public record RoutingSettings(
        Duration interval,
        double maxStep,
        double epsilon,
        double nodeMaxStep,
        double nodeEpsilon,
        Duration heartbeat,
        Duration stalenessTimeout,
        double saturationThreshold,
        double latencyFloorMs) {

    public static final RoutingSettings DEFAULTS = new RoutingSettings(Duration.ofSeconds(10), 0.1, 0.05, 0.5, 0.1,
            Duration.ofSeconds(30), Duration.ofSeconds(30), PoolWindowAggregate.SATURATED_AT, 1.0);

    public RoutingSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(stalenessTimeout, "stalenessTimeout");
        positive(interval, "interval");
        positive(stalenessTimeout, "stalenessTimeout");
        if (heartbeat.compareTo(interval) < 0) {
            throw new IllegalArgumentException("heartbeat (" + heartbeat + ") must not be shorter than interval ("
                    + interval + ")");
        }
        requireInRange("maxStep", maxStep, Double.MIN_VALUE, 1);
        requireInRange("epsilon", epsilon, 0, 1);
        requireInRange("nodeMaxStep", nodeMaxStep, Double.MIN_VALUE, Double.MAX_VALUE);
        requireInRange("nodeEpsilon", nodeEpsilon, 0, Double.MAX_VALUE);
        requireInRange("saturationThreshold", saturationThreshold, 0, 100);
        requireInRange("latencyFloorMs", latencyFloorMs, Double.MIN_VALUE, Double.MAX_VALUE);
    }

    public RoutingSettings withDamping(double maxStep, double epsilon) {
        return new RoutingSettings(interval, maxStep, epsilon, nodeMaxStep, nodeEpsilon, heartbeat, stalenessTimeout,
                saturationThreshold, latencyFloorMs);
    }

    public RoutingSettings withNodeDamping(double nodeMaxStep, double nodeEpsilon) {
        return new RoutingSettings(interval, maxStep, epsilon, nodeMaxStep, nodeEpsilon, heartbeat, stalenessTimeout,
                saturationThreshold, latencyFloorMs);
    }

    public RoutingSettings withTiming(Duration interval, Duration heartbeat, Duration stalenessTimeout) {
        return new RoutingSettings(interval, maxStep, epsilon, nodeMaxStep, nodeEpsilon, heartbeat, stalenessTimeout,
                saturationThreshold, latencyFloorMs);
    }

    private static void positive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }

    private static void requireInRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ", was " + value);
        }
    }
}
