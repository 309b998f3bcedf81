package dev.meridian.fleetsim.model;

/**
 * A pool's simulated nodes by phase, for live views.
 *
 * @param warm         WARM and ACTIVATING
 * @param provisioning asked for and not there yet
 */
public record PoolCounts(int serving, int warm, int draining, int provisioning) {

    public static final PoolCounts NONE = new PoolCounts(0, 0, 0, 0);

    PoolCounts plus(NodePhase phase) {
        return switch (phase) {
            case SERVING -> new PoolCounts(serving + 1, warm, draining, provisioning);
            case WARM, ACTIVATING -> new PoolCounts(serving, warm + 1, draining, provisioning);
            case DRAINING -> new PoolCounts(serving, warm, draining + 1, provisioning);
            case PROVISIONING -> new PoolCounts(serving, warm, draining, provisioning + 1);
            case GONE -> this;
        };
    }

    /** Nodes that exist (report samples): serving, warm and draining. */
    public int present() {
        return serving + warm + draining;
    }
}
