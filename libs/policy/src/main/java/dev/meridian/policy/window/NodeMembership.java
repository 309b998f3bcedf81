package dev.meridian.policy.window;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeRef;
import dev.meridian.contracts.fleet.NodeState;

/**
 * What one sample does to the observed inventory, given what the inventory knows of its node.
 *
 * <p>A node id is bound to its region for as long as the node is not LEFT: cloud instances never change region, so
 * a sample naming a known node in another region is not the node's own and is {@link #REFUSED} — it must neither
 * move the node nor be windowed as its. A pool change within the region is a real move ({@link #MOVES}). Once the
 * node is LEFT (it stopped reporting) its id is free, and a sample of any region {@link #JOINS}.
 */
public enum NodeMembership {

    /** Known, JOINED, in the sample's region and pool: nothing changes. */
    UNCHANGED,
    /** Unknown or LEFT (a first sample, or a reused id), or STALE in the sample's region and pool: JOINED. */
    JOINS,
    /** Known, not LEFT, in another pool of the sample's region: LEFT from the old pool, JOINED in the new one. */
    MOVES,
    /** Known, not LEFT, in another region than the sample names: the sample is refused, the node kept as it is. */
    REFUSED;

    /**
     * @param known    what the inventory holds for the sample's node id; null if nothing
     * @param reported the node as the sample describes it
     */
    public static NodeMembership of(FleetNode known, NodeRef reported) {
        if (known == null || known.state() == NodeState.LEFT) {
            return JOINS;
        }
        if (!known.region().equals(reported.region())) {
            return REFUSED;
        }
        if (!known.pool().equals(reported.pool())) {
            return MOVES;
        }
        return known.state() == NodeState.JOINED ? UNCHANGED : JOINS;
    }
}
