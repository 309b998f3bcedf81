package dev.meridian.contracts.scaling;

/**
 * Which capacity a {@link ScaleCommand} acts on, and so which one its {@code currentNodes} and {@code desiredNodes}
 * count. A consumer that manages serving replicas only (a Kubernetes Deployment has no warm pool) must not apply the
 * counts of a {@link #WARM_POOL} command to them.
 */
public enum ScalePurpose {
    /**
     * Capacity that serves traffic. Also what an absent purpose means: records written before the field existed
     * carry none.
     */
    SERVE,
    /**
     * Pre-provisioned idle nodes held for ACTIVATE_WARM: a warm-pool refill (SCALE_OUT, or the DEFERRED record of
     * one), or the DRAIN and REPLACE of an interrupted warm node.
     */
    WARM_POOL
}
