package dev.meridian.policy.scaling;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pool's desired shape, as the registry holds it, with its overrides already merged into {@code settings}.
 *
 * @param minSize      serving nodes the pool never drops below by scaling in
 * @param maxSize      nodes the pool may hold: serving capacity never exceeds it, and the warm pool is refilled
 *                     only into the room left under it
 * @param warmSize     pre-provisioned idle nodes kept ready for ACTIVATE_WARM
 * @param ladder       instance types for vertical scaling, smallest first
 * @param spotFallback an interrupted spot node is replaced on demand
 */
public record PoolConfig(
        String region,
        String pool,
        Tier tier,
        int minSize,
        int maxSize,
        int warmSize,
        List<String> ladder,
        CapacityType capacityType,
        boolean spotFallback,
        Criticality criticality,
        ScalingSettings settings) {

    public PoolConfig {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(capacityType, "capacityType");
        Objects.requireNonNull(criticality, "criticality");
        Objects.requireNonNull(settings, "settings");
        ladder = List.copyOf(ladder);
        if (ladder.isEmpty()) {
            throw new IllegalArgumentException(key() + ": the instance-type ladder is empty");
        }
        if (minSize < 0 || minSize > maxSize || warmSize < 0 || warmSize > maxSize) {
            throw new IllegalArgumentException(key() + ": need 0 <= min <= max and 0 <= warm <= max, was min "
                    + minSize + ", max " + maxSize + ", warm " + warmSize);
        }
    }

    /** The key of the pool's records on the utilization and command topics. */
    public String key() {
        return region + "/" + pool;
    }

    /** The rung above {@code type}; empty at the top, and for a type not on the ladder (nothing to step up from). */
    public Optional<String> nextType(String type) {
        int index = ladder.indexOf(type);
        return index < 0 || index == ladder.size() - 1 ? Optional.empty() : Optional.of(ladder.get(index + 1));
    }
}
