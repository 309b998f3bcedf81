package dev.meridian.fleetsim.whatif;

import dev.meridian.policy.cost.CostTags;
import dev.meridian.policy.scaling.PoolConfig;
import dev.meridian.policy.scaling.ScalingOverride;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry's pools as the scaling policy sees them: the base settings with each pool's overrides on top, merged
 * by libs/policy's {@link ScalingOverride} exactly as services/scaler's {@code PoolConfigs} merges them.
 */
final class ScaledPools {

    /** @param costTags the tags budget scopes name, as cost tags the pool's spend */
    record ScaledPool(NodePool pool, PoolConfig config, Map<String, String> costTags) {
    }

    private ScaledPools() {
    }

    /** Every pool of the fleet, by {@code region/pool}. */
    static Map<String, ScaledPool> of(FleetSnapshot fleet, ScalingSettings base) {
        Map<String, ScaledPool> pools = new TreeMap<>();
        for (NodePool pool : fleet.pools()) {
            ScalingSettings settings = fleet.policyOverride(pool.region(), pool.name())
                    .map(override -> overrideOf(override).applyTo(base)).orElse(base);
            PoolConfig config = new PoolConfig(pool.region(), pool.name(), pool.tier(), pool.minSize(),
                    pool.maxSize(), pool.warmSize(), pool.instanceTypes(), pool.capacityType(), pool.spotFallback(),
                    pool.criticality(), settings);
            pools.put(config.key(), new ScaledPool(pool, config,
                    CostTags.of(pool.name(), pool.tier(), pool.capacityType(), pool.tags())));
        }
        return pools;
    }

    /** The registry row's values, for the policy's merge. */
    private static ScalingOverride overrideOf(PolicyOverride row) {
        return new ScalingOverride(row.scaleOutUtilization(), row.scaleInUtilization(), row.targetUtilization(),
                row.memoryResizeUtilization(), row.sustainWindows(), row.stabilization(), row.cooldown());
    }
}
