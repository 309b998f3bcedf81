package dev.meridian.contracts.fleet;

/** What a pool runs on; routing keeps one weight table per tier. */
public enum Tier {
    CORE_GPU, EDGE_CPU
}
