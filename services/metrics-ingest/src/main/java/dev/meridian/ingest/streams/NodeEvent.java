package dev.meridian.ingest.streams;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;

/**
 * What the node stage hands on. Node results and inventory changes go to the pool stage, through one repartition
 * topic so that a node's inventory changes and window results reach its pool in the order they happened; a refused
 * sample goes to the dead-letter topic (its reason in the record's headers) and never to the pool stage. Exactly one
 * of the three is set.
 */
record NodeEvent(NodeUtilization utilization, FleetNode inventory, NodeMetric refused) {

    static NodeEvent of(NodeUtilization utilization) {
        return new NodeEvent(utilization, null, null);
    }

    static NodeEvent of(FleetNode inventory) {
        return new NodeEvent(null, inventory, null);
    }

    static NodeEvent refused(NodeMetric sample) {
        return new NodeEvent(null, null, sample);
    }

    String poolKey() {
        return utilization != null
                ? utilization.region() + "/" + utilization.pool()
                : inventory.region() + "/" + inventory.pool();
    }
}
