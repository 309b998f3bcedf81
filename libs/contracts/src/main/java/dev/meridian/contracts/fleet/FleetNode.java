package dev.meridian.contracts.fleet;

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

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .id("nodeId", nodeId)
                .id("region", region)
                .id("zone", zone)
                .id("pool", pool)
                .required("tier", tier)
                .id("instanceType", instanceType)
                .required("capacityType", capacityType)
                .required("state", state)
                .required("since", since)
                .required("lastSeen", lastSeen)
                .result();
    }
}
