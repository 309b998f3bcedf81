package dev.meridian.scaler.fleet;

import dev.meridian.policy.cost.CostTags;
import dev.meridian.policy.scaling.PoolConfig;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * A registry pool as the scaling policy sees it: the service-wide settings, then the pool's overrides from
 * {@code config.policy_overrides} on top.
 */
public final class PoolConfigs {

    private final ScalingSettings base;

    public PoolConfigs(ScalingSettings base) {
        this.base = base;
    }

    /**
     * The pool's policy view, empty when the registry does not know it.
     *
     * @throws IllegalArgumentException when its overrides contradict each other (e.g. scale-in above target)
     */
    public Optional<ScaledPool> of(FleetSnapshot fleet, String region, String pool) {
        return fleet.pool(region, pool).map(p -> {
            PoolConfig config = toConfig(p, fleet.policyOverride(region, pool));
            return new ScaledPool(config, CostTags.of(p.name(), p.tier(), p.capacityType(), p.tags()));
        });
    }

    /**
     * @param costTags the tags a budget scope may name for this pool, exactly as the cost service tags its spend
     */
    public record ScaledPool(PoolConfig config, Map<String, String> costTags) {
    }

    PoolConfig toConfig(NodePool pool, Optional<PolicyOverride> override) {
        ScalingSettings settings = override.map(this::apply).orElse(base);
        return new PoolConfig(pool.region(), pool.name(), pool.tier(), pool.minSize(), pool.maxSize(),
                pool.warmSize(), pool.instanceTypes(), pool.capacityType(), pool.spotFallback(),
                pool.criticality(), settings);
    }

    private ScalingSettings apply(PolicyOverride override) {
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
