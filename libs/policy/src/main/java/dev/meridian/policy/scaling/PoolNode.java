package dev.meridian.policy.scaling;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import java.util.Objects;

/**
 * One node of the pool as the scaler sees it: the inventory record plus what the inventory does not know.
 * READY means {@link NodeState#JOINED}; STALE nodes still exist (they are not counted as capacity, and not as new
 * arrivals when they come back), LEFT nodes are gone.
 *
 * @param warm true for a pre-provisioned node held in the warm pool, not serving
 * @param load the node's load in its newest window (GPU or CPU by tier), null when it has none; scale-in drains the
 *             idlest nodes first
 */
public record PoolNode(String nodeId, String instanceType, CapacityType capacityType, NodeState state, boolean warm,
        Double load) {

    public PoolNode {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(instanceType, "instanceType");
        Objects.requireNonNull(capacityType, "capacityType");
        Objects.requireNonNull(state, "state");
    }

    public static PoolNode of(FleetNode node, boolean warm, Double load) {
        return new PoolNode(node.nodeId(), node.instanceType(), node.capacityType(), node.state(), warm, load);
    }

    boolean ready() {
        return state == NodeState.JOINED;
    }

    boolean present() {
        return state != NodeState.LEFT;
    }
}
