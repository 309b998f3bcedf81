package dev.meridian.ingest.streams;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import java.time.Duration;

/**
 * What the topology needs from configuration, as plain values so tests can build the same topology.
 *
 * @param nodeLimit      the most nodes of one region the stores hold ({@code meridian.ingest.inventory.node-limit})
 * @param nodeLimitTotal the most nodes of all regions together ({@code inventory.node-limit-total}): region names are
 *                       the sender's, so a flood of invented regions must meet a bound too
 */
public record TopologySettings(TumblingWindows windows, NodeLiveness liveness, Duration emitInterval,
        Duration poolSettle, int nodeLimit, int nodeLimitTotal) {

    public static final int DEFAULT_NODE_LIMIT = 20_000;
    public static final int DEFAULT_NODE_LIMIT_TOTAL = 100_000;

    public TopologySettings {
        if (nodeLimit < 1 || nodeLimitTotal < 1) {
            throw new IllegalArgumentException("node limits must be at least 1, were " + nodeLimit + " per region and "
                    + nodeLimitTotal + " in all");
        }
    }

    /** With {@code nodeLimit} per region and the default total, raised to {@code nodeLimit} if below. */
    public TopologySettings(TumblingWindows windows, NodeLiveness liveness, Duration emitInterval,
            Duration poolSettle, int nodeLimit) {
        this(windows, liveness, emitInterval, poolSettle, nodeLimit, Math.max(DEFAULT_NODE_LIMIT_TOTAL, nodeLimit));
    }

    /** With the default node limits. */
    public TopologySettings(TumblingWindows windows, NodeLiveness liveness, Duration emitInterval,
            Duration poolSettle) {
        this(windows, liveness, emitInterval, poolSettle, DEFAULT_NODE_LIMIT);
    }

    public static TopologySettings from(IngestConfig config) {
        return new TopologySettings(config.window().windows(), config.liveness(), config.window().emitInterval(),
                config.window().poolSettle(), config.inventory().nodeLimit(), config.inventory().nodeLimitTotal());
    }

    public static TopologySettings defaults() {
        return new TopologySettings(TumblingWindows.DEFAULT, new NodeLiveness(TumblingWindows.DEFAULT, 3,
                Duration.ofMinutes(5)), Duration.ofMillis(200), Duration.ofMillis(1500));
    }

    /** A task's share of {@link #nodeLimit()}: one task windows the nodes of one of {@code partitions}. */
    public int nodesPerRegionPerTask(int partitions) {
        return share(nodeLimit, partitions);
    }

    /** A task's share of {@link #nodeLimitTotal()}. */
    public int nodesPerTask(int partitions) {
        return share(nodeLimitTotal, partitions);
    }

    private static int share(int limit, int partitions) {
        return (limit + partitions - 1) / partitions;
    }
}
