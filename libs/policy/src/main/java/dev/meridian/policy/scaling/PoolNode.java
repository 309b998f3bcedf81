package dev.meridian.policy.scaling;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import java.time.Instant;
import java.util.Objects;

/**
 * One node of the pool as the scaler sees it: the inventory record plus what the inventory does not know.
 * READY means {@link NodeState#JOINED}; STALE nodes still exist (they are not counted as capacity, and not as new
 * arrivals when they come back), LEFT nodes are gone.
 *
 * @param warm     true for a pre-provisioned node held in the warm pool, not serving
 * @param load     the node's load in its newest window (GPU or CPU by tier), null when it has none; scale-in drains
 *                 the idlest nodes first, and in a pool with warm nodes the serving nodes' loads are the pool's load
 * @param joinedAt when the node last became READY (its first sample); a window that ended by then did not measure
 *                 it. Null when unknown: the node counts as measured
 */
public record PoolNode(String nodeId, String instanceType, CapacityType capacityType, NodeState state, boolean warm,
        Double load, Instant joinedAt) {

    public PoolNode {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(instanceType, "instanceType");
        Objects.requireNonNull(capacityType, "capacityType");
        Objects.requireNonNull(state, "state");
    }

    /** A node whose join time is unknown: every window counts it as measured. */
    public PoolNode(String nodeId, String instanceType, CapacityType capacityType, NodeState state, boolean warm,
            Double load) {
        this(nodeId, instanceType, capacityType, state, warm, load, null);
    }

    /** The inventory record, whose {@code since} of a JOINED node is its join time. */
    public static PoolNode of(FleetNode node, boolean warm, Double load) {
        return new PoolNode(node.nodeId(), node.instanceType(), node.capacityType(), node.state(), warm, load,
                node.state() == NodeState.JOINED ? node.since() : null);
    }

    boolean ready() {
        return state == NodeState.JOINED;
    }

    boolean present() {
        return state != NodeState.LEFT;
    }

    /** Whether a window ending at {@code windowEnd} can hold this node's samples. */
    boolean measuredBy(Instant windowEnd) {
        return joinedAt == null || joinedAt.isBefore(windowEnd);
    }
}
