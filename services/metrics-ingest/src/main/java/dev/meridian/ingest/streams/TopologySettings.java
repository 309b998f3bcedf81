package dev.meridian.ingest.streams;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import java.time.Duration;

/**
 * What the topology needs from configuration, as plain values so tests can build the same topology.
 *
 * @param nodeLimit the most nodes of one region the stores hold (see {@code meridian.ingest.inventory.node-limit})
 */
public record TopologySettings(TumblingWindows windows, NodeLiveness liveness, Duration emitInterval,
        Duration poolSettle, int nodeLimit) {

    public static final int DEFAULT_NODE_LIMIT = 20_000;

    public TopologySettings {
        if (nodeLimit < 1) {
            throw new IllegalArgumentException("nodeLimit must be at least 1, was " + nodeLimit);
        }
    }

    /** With the default node limit. */
    public TopologySettings(TumblingWindows windows, NodeLiveness liveness, Duration emitInterval,
            Duration poolSettle) {
        this(windows, liveness, emitInterval, poolSettle, DEFAULT_NODE_LIMIT);
    }

    public static TopologySettings from(IngestConfig config) {
        return new TopologySettings(config.window().windows(), config.liveness(), config.window().emitInterval(),
                config.window().poolSettle(), config.inventory().nodeLimit());
    }

    public static TopologySettings defaults() {
        return new TopologySettings(TumblingWindows.DEFAULT, new NodeLiveness(TumblingWindows.DEFAULT, 3,
                Duration.ofMinutes(5)), Duration.ofMillis(200), Duration.ofMillis(1500));
    }

    /** A task's share of {@link #nodeLimit()}: one task windows the nodes of one of {@code partitions}. */
    public int nodesPerRegionPerTask(int partitions) {
        return (nodeLimit + partitions - 1) / partitions;
    }
}
