package dev.meridian.policy.window;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import java.time.Instant;

/**
 * Running totals of one node's samples inside one window. Immutable: {@link #add} returns a new aggregate, so
 * it can serve directly as a Kafka Streams aggregate value and as the what-if replay's accumulator.
 *
 * <p>The node's descriptive fields (pool, instance type…) come from the latest sample added, so a node that
 * changes pool is reported under its newest pool.
 */
public record NodeWindowAggregate(
        String nodeId,
        String region,
        String zone,
        String pool,
        Tier tier,
        String instanceType,
        CapacityType capacityType,
        int sampleCount,
        double gpuSum,
        double gpuMax,
        double gpuMemPeakPct,
        double cpuSum,
        double memSum,
        double netRxSum,
        double netTxSum,
        double queueDepthSum,
        int queueDepthCount,
        double kvCacheSum,
        int kvCacheCount) {

    private static final NodeWindowAggregate EMPTY =
            new NodeWindowAggregate(null, null, null, null, null, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static NodeWindowAggregate empty() {
        return EMPTY;
    }

    public NodeWindowAggregate add(NodeMetric sample) {
        boolean hasQueue = sample.queueDepth() != null;
        boolean hasKv = sample.kvCacheUtil() != null;
        return new NodeWindowAggregate(
                sample.nodeId(),
                sample.region(),
                sample.zone(),
                sample.pool(),
                sample.tier(),
                sample.instanceType(),
                sample.capacityType(),
                sampleCount + 1,
                gpuSum + sample.gpuUtil(),
                sampleCount == 0 ? sample.gpuUtil() : Math.max(gpuMax, sample.gpuUtil()),
                Math.max(gpuMemPeakPct, gpuMemPercent(sample)),
                cpuSum + sample.cpuUtil(),
                memSum + sample.memUtil(),
                netRxSum + sample.netRxBytesPerSec(),
                netTxSum + sample.netTxBytesPerSec(),
                queueDepthSum + (hasQueue ? sample.queueDepth() : 0),
                queueDepthCount + (hasQueue ? 1 : 0),
                kvCacheSum + (hasKv ? sample.kvCacheUtil() : 0),
                kvCacheCount + (hasKv ? 1 : 0));
    }

    public boolean isEmpty() {
        return sampleCount == 0;
    }

    /** The window's result; only meaningful once at least one sample was added. */
    public NodeUtilization toUtilization(Instant windowStart, Instant windowEnd) {
        if (isEmpty()) {
            throw new IllegalStateException("an empty window has no utilization");
        }
        return new NodeUtilization(
                nodeId,
                region,
                zone,
                pool,
                tier,
                instanceType,
                capacityType,
                windowStart,
                windowEnd,
                sampleCount,
                gpuSum / sampleCount,
                gpuMax,
                gpuMemPeakPct,
                cpuSum / sampleCount,
                memSum / sampleCount,
                netRxSum / sampleCount,
                netTxSum / sampleCount,
                queueDepthCount == 0 ? null : queueDepthSum / queueDepthCount,
                kvCacheCount == 0 ? null : kvCacheSum / kvCacheCount);
    }

    private static double gpuMemPercent(NodeMetric sample) {
        if (sample.gpuMemTotalMiB() <= 0) {
            return 0;
        }
        return 100.0 * sample.gpuMemUsedMiB() / sample.gpuMemTotalMiB();
    }
}
