package dev.meridian.ingest.streams;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.metrics.NodeUtilization;

/**
 * What the node stage hands the pool stage, through one repartition topic so that a node's inventory changes and
 * window results reach its pool in the order they happened. Exactly one of the two is set.
 */
record NodeEvent(NodeUtilization utilization, FleetNode inventory) {

    static NodeEvent of(NodeUtilization utilization) {
        return new NodeEvent(utilization, null);
    }

    static NodeEvent of(FleetNode inventory) {
        return new NodeEvent(null, inventory);
    }

    String poolKey() {
        return utilization != null
                ? utilization.region() + "/" + utilization.pool()
                : inventory.region() + "/" + inventory.pool();
    }
}
