package dev.meridian.policy.routing;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.TierTable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The undamped weights the inputs call for: what {@link RoutingPolicy} damps toward. Useful on its own for the
 * what-if mode and for showing operators where the published weights are heading.
 *
 * @param tiers     one table per tier, in {@link Tier} order; weights normalised to sum 1 per table
 * @param excluded  every exclusion, sorted by scope, target, tier and reason
 * @param expiresAt the earliest instant at which an input counted here turns stale, so recomputing then changes the
 *                  result even without new input; null when nothing counted can go stale
 */
public record RoutingTargets(String clientRegion, List<TierTable> tiers, List<Exclusion> excluded, Instant expiresAt) {

    public RoutingTargets {
        Objects.requireNonNull(clientRegion, "clientRegion");
        tiers = List.copyOf(tiers);
        excluded = List.copyOf(excluded);
    }

    public Optional<TierTable> table(Tier tier) {
        return tiers.stream().filter(table -> table.tier() == tier).findFirst();
    }
}
