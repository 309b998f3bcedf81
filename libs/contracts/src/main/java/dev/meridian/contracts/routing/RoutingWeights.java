package dev.meridian.contracts.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One published version of a client region's routing weights. Keyed by clientRegion on a compacted
 * topic: the latest record is what routers use.
 *
 * @param version   increases by one per published version; a heartbeat repeats the current version
 * @param heartbeat true when nothing moved by more than ε and the version is republished to show liveness
 * @param tiers     one table per tier, each tier at most once
 * @param excluded  everything excluded at once, with the reason
 */
public record RoutingWeights(
        @JsonProperty(required = true) String clientRegion,
        @JsonProperty(required = true) long version,
        @JsonProperty(required = true) Instant computedAt,
        @JsonProperty(required = true) boolean heartbeat,
        @JsonProperty(required = true) List<TierTable> tiers,
        @JsonProperty(required = true) List<Exclusion> excluded) implements Validated {

    public RoutingWeights {
        tiers = tiers == null ? null : List.copyOf(tiers);
        excluded = excluded == null ? null : List.copyOf(excluded);
    }

    /** The table of {@code tier}, if this version has one. */
    public Optional<TierTable> table(Tier tier) {
        return tiers.stream().filter(table -> table.tier() == tier).findFirst();
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .id("clientRegion", clientRegion)
                .nonNegative("version", version)
                .required("computedAt", computedAt)
                .each("tiers", tiers)
                .each("excluded", excluded);
        if (tiers != null) {
            Set<Tier> seen = new HashSet<>();
            for (int i = 0; i < tiers.size(); i++) {
                Tier tier = tiers.get(i).tier();
                String field = "tiers[" + i + "].tier";
                checks.rule(tier == null || seen.add(tier), field, Checks.CONSISTENCY,
                        () -> field + " must appear once per version, was " + tier + " again");
            }
        }
        return checks.result();
    }
}
