package dev.meridian.scaler.streams;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.policy.scaling.PoolNode;
import java.time.Instant;

/**
 * What the scaler keeps per node: its inventory record and its newest window's load (GPU or CPU by tier), either of
 * which may arrive first.
 */
public record NodeEntry(FleetNode node, Double load, Instant loadWindowEnd) {

    static NodeEntry withNode(NodeEntry previous, FleetNode node) {
        return previous == null ? new NodeEntry(node, null, null)
                : new NodeEntry(node, previous.load(), previous.loadWindowEnd());
    }

    /** A window older than the one already held changes nothing. */
    static NodeEntry withLoad(NodeEntry previous, NodeUtilization window) {
        if (previous != null && previous.loadWindowEnd() != null
                && !window.windowEnd().isAfter(previous.loadWindowEnd())) {
            return previous;
        }
        double load = window.tier() == Tier.EDGE_CPU ? window.cpuAvg() : window.gpuAvg();
        return new NodeEntry(previous == null ? null : previous.node(), load, window.windowEnd());
    }

    /** Null until the inventory has announced the node: a load alone is not capacity. */
    PoolNode toPoolNode() {
        return node == null ? null : PoolNode.of(node, false, load);
    }
}
