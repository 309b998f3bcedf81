package dev.meridian.contracts.fleet;

/** How a node is bought; spot nodes can be interrupted with a notice. */
public enum CapacityType {
    ON_DEMAND, SPOT
}
