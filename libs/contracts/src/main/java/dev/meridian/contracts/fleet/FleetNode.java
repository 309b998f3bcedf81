package dev.meridian.contracts.fleet;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * Observed state of one node, as metrics-ingest sees it (not the desired state). Keyed by nodeId on the
 * compacted {@code meridian.fleet.nodes.v1}, so the latest record per node is the inventory.
 *
 * @param since    when the node entered {@code state}
 * @param lastSeen the newest sample from the node
 */
public record FleetNode(
        @JsonProperty(required = true) String nodeId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String zone,
        @JsonProperty(required = true) String pool,
        @JsonProperty(required = true) Tier tier,
        @JsonProperty(required = true) String instanceType,
        @JsonProperty(required = true) CapacityType capacityType,
        @JsonProperty(required = true) NodeState state,
        @JsonProperty(required = true) Instant since,
        @JsonProperty(required = true) Instant lastSeen) implements Validated {

    public FleetNode(NodeRef ref, NodeState state, Instant since, Instant lastSeen) {
        this(ref.nodeId(), ref.region(), ref.zone(), ref.pool(), ref.tier(), ref.instanceType(), ref.capacityType(),
                state, since, lastSeen);
    }

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .inline(ref())
                .required("state", state)
                .required("since", since)
                .required("lastSeen", lastSeen)
                .result();
    }

    /** This node's identity: the first seven components as one value. Not written; the JSON keeps them flat. */
    @JsonIgnore
    public NodeRef ref() {
        return new NodeRef(nodeId, region, zone, pool, tier, instanceType, capacityType);
    }
}
