package dev.meridian.fleetsim.model;

/** Where a simulated node is in its life. Only SERVING nodes take new traffic. */
public enum NodePhase {
    /** Asked for, not there yet: no samples. */
    PROVISIONING,
    /** There and idle in the warm pool: samples at zero load. */
    WARM,
    /** Named by ACTIVATE_WARM, serving after the warm delay; idle meanwhile. */
    ACTIVATING,
    SERVING,
    /** Named by DRAIN: finishes its backlog, takes no new traffic. */
    DRAINING,
    /** Removed by SCALE_IN or reclaimed after an interruption notice: no more samples. */
    GONE;

    /** Whether the node exists and reports samples. */
    public boolean reports() {
        return this != PROVISIONING && this != GONE;
    }
}
