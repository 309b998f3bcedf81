package dev.meridian.policy.window;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import java.time.Instant;

/**
 * One pool's node results for one window. Immutable, like {@link NodeWindowAggregate}, so the topology and the
 * what-if replay fold node windows into pool windows identically.
 *
 * <p>A node is <em>saturated</em> when its load (GPU average for CORE_GPU, CPU average for EDGE_CPU) is at least
 * {@link #SATURATED_AT}; every reporting node that is not saturated is <em>eligible</em> for traffic. Stale
 * nodes do not report, so they are counted from the inventory when the window is closed.
 */
public record PoolWindowAggregate(
        String region,
        String pool,
        Tier tier,
        int reportingCount,
        int saturatedCount,
        double gpuSum,
        double gpuMax,
        double cpuSum,
        double gpuMemPeakPct,
        double queueDepthSum,
        int queueDepthCount,
        double kvCacheSum,
        int kvCacheCount) {

    /** Load percentage from which a node takes no new traffic. */
    public static final double SATURATED_AT = 95.0;

    private static final PoolWindowAggregate EMPTY = new PoolWindowAggregate(null, null, null, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0);

    public static PoolWindowAggregate empty() {
        return EMPTY;
    }

    public static double loadOf(Tier tier, double gpuAvg, double cpuAvg) {
        return tier == Tier.EDGE_CPU ? cpuAvg : gpuAvg;
    }

    public static boolean isSaturated(NodeUtilization node) {
        return loadOf(node.tier(), node.gpuAvg(), node.cpuAvg()) >= SATURATED_AT;
    }

    public PoolWindowAggregate add(NodeUtilization node) {
        boolean hasQueue = node.queueDepthAvg() != null;
        boolean hasKv = node.kvCacheAvg() != null;
        return new PoolWindowAggregate(
                node.region(),
                node.pool(),
                node.tier(),
                reportingCount + 1,
                saturatedCount + (isSaturated(node) ? 1 : 0),
                gpuSum + node.gpuAvg(),
                reportingCount == 0 ? node.gpuMax() : Math.max(gpuMax, node.gpuMax()),
                cpuSum + node.cpuAvg(),
                Math.max(gpuMemPeakPct, node.gpuMemPeakPct()),
                queueDepthSum + (hasQueue ? node.queueDepthAvg() : 0),
                queueDepthCount + (hasQueue ? 1 : 0),
                kvCacheSum + (hasKv ? node.kvCacheAvg() : 0),
                kvCacheCount + (hasKv ? 1 : 0));
    }

    public boolean isEmpty() {
        return reportingCount == 0;
    }

    /**
     * The pool's window result.
     *
     * @param knownNodes nodes the inventory holds for the pool (JOINED or STALE); never fewer than reported
     * @param staleNodes of those, how many are STALE
     */
    public PoolUtilization toUtilization(Instant windowStart, Instant windowEnd, int knownNodes, int staleNodes) {
        if (isEmpty()) {
            throw new IllegalStateException("a pool window without node results has no utilization");
        }
        return new PoolUtilization(
                region,
                pool,
                tier,
                windowStart,
                windowEnd,
                Math.max(knownNodes, reportingCount),
                reportingCount - saturatedCount,
                saturatedCount,
                staleNodes,
                gpuSum / reportingCount,
                gpuMax,
                cpuSum / reportingCount,
                gpuMemPeakPct,
                queueDepthCount == 0 ? null : queueDepthSum / queueDepthCount,
                kvCacheCount == 0 ? null : kvCacheSum / kvCacheCount);
    }
}
