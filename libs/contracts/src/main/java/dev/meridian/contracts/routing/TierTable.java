package dev.meridian.contracts.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.util.List;

/**
 * The weights of one tier for one client region: region weights from pool aggregates, node weights for
 * the scheduler's home region only.
 *
 * @param nodes              empty outside the scheduler's home region
 * @param noneEligibleReason set exactly when {@code regions} is empty, so clients can tell "no capacity"
 *                           from "no data"
 */
public record TierTable(
        @JsonProperty(required = true) Tier tier,
        @JsonProperty(required = true) List<RegionWeight> regions,
        @JsonProperty(required = true) List<NodeWeight> nodes,
        String noneEligibleReason) implements Validated {

    public TierTable {
        regions = regions == null ? null : List.copyOf(regions);
        nodes = nodes == null ? null : List.copyOf(nodes);
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .required("tier", tier)
                .each("regions", regions)
                .each("nodes", nodes)
                .optionalText("noneEligibleReason", noneEligibleReason, Checks.MAX_TEXT_LENGTH);
        if (regions != null) {
            checks.rule(!regions.isEmpty() || noneEligibleReason != null, "noneEligibleReason", Checks.CONSISTENCY,
                    () -> "noneEligibleReason must be set when no region is eligible")
                    .rule(regions.isEmpty() || noneEligibleReason == null, "noneEligibleReason", Checks.CONSISTENCY,
                            () -> "noneEligibleReason must be null when a region is eligible, was " + noneEligibleReason);
        }
        return checks.result();
    }
}
