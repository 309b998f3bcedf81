package dev.meridian.contracts.fleet;

/** Observed lifecycle of a node in {@code meridian.fleet.nodes.v1}. */
public enum NodeState {
    JOINED, STALE, LEFT
}
