package dev.meridian.fleetsim.whatif;

import dev.meridian.policy.cost.CostTags;
import dev.meridian.policy.scaling.PoolConfig;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's pools as the scaling policy sees them: the base settings with each pool's overrides on top, exactly
 * as services/scaler's {@code PoolConfigs} merges them (a tool may not depend on a service; keep the two in step).
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
                    .map(override -> apply(base, override)).orElse(base);
            PoolConfig config = new PoolConfig(pool.region(), pool.name(), pool.tier(), pool.minSize(),
                    pool.maxSize(), pool.warmSize(), pool.instanceTypes(), pool.capacityType(), pool.spotFallback(),
                    pool.criticality(), settings);
            pools.put(config.key(), new ScaledPool(pool, config,
                    CostTags.of(pool.name(), pool.tier(), pool.capacityType(), pool.tags())));
        }
        return pools;
    }

    private static ScalingSettings apply(ScalingSettings base, PolicyOverride override) {
        ScalingSettings settings = base.withThresholds(
                percent(override.scaleOutUtilization(), base.scaleOutUtilization()),
                percent(override.scaleInUtilization(), base.scaleInUtilization()),
                percent(override.targetUtilization(), base.targetUtilization()));
        settings = settings.withMemoryResizeUtilization(
                percent(override.memoryResizeUtilization(), base.memoryResizeUtilization()));
        if (override.sustainWindows().isPresent()) {
            settings = settings.withSustainWindows(override.sustainWindows().getAsInt());
        }
        return settings.withScaleInTiming(override.stabilization().orElse(base.stabilization()),
                override.cooldown().orElse(base.cooldown()));
    }

    private static double percent(Optional<BigDecimal> value, double fallback) {
        return value.map(BigDecimal::doubleValue).orElse(fallback);
    }
}
