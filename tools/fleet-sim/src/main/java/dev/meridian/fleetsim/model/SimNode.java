package dev.meridian.fleetsim.model;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import java.time.Instant;

/** One simulated node. Mutable, owned by {@link FleetModel}; callers see it through its getters. */
public final class SimNode {

    private final String nodeId;
    private final String region;
    private final String zone;
    private final String pool;
    private final Tier tier;
    private final CapacityType capacityType;
    private String instanceType;
    private NodePhase phase;
    /** PROVISIONING or ACTIVATING ends here. */
    private Instant readyAt;
    /** For PROVISIONING: joins the warm pool rather than serving. */
    private boolean joinsWarm;
    /** Set by an interruption notice: the provider takes the node back here. */
    private Instant reclaimAt;
    /** Tokens accepted and not yet served. */
    private double backlog;

    SimNode(String nodeId, String region, String zone, String pool, Tier tier, String instanceType,
            CapacityType capacityType, NodePhase phase, Instant readyAt, boolean joinsWarm) {
        this.nodeId = nodeId;
        this.region = region;
        this.zone = zone;
        this.pool = pool;
        this.tier = tier;
        this.instanceType = instanceType;
        this.capacityType = capacityType;
        this.phase = phase;
        this.readyAt = readyAt;
        this.joinsWarm = joinsWarm;
    }

    public String nodeId() {
        return nodeId;
    }

    public String region() {
        return region;
    }

    public String zone() {
        return zone;
    }

    public String pool() {
        return pool;
    }

    public String poolKey() {
        return region + "/" + pool;
    }

    public Tier tier() {
        return tier;
    }

    public String instanceType() {
        return instanceType;
    }

    public CapacityType capacityType() {
        return capacityType;
    }

    public NodePhase phase() {
        return phase;
    }

    public Instant readyAt() {
        return readyAt;
    }

    public Instant reclaimAt() {
        return reclaimAt;
    }

    public double backlog() {
        return backlog;
    }

    boolean joinsWarm() {
        return joinsWarm;
    }

    void joinsWarm(boolean warm) {
        this.joinsWarm = warm;
    }

    void phase(NodePhase next, Instant readyAt) {
        this.phase = next;
        this.readyAt = readyAt;
    }

    void instanceType(String type) {
        this.instanceType = type;
    }

    void reclaimAt(Instant at) {
        this.reclaimAt = at;
    }

    void backlog(double tokens) {
        this.backlog = tokens;
    }

    @Override
    public String toString() {
        return nodeId + "[" + phase + ", " + instanceType + ", " + capacityType + "]";
    }
}
