package dev.meridian.scaler.fleet;

import dev.meridian.policy.cost.CostTags;
import dev.meridian.policy.scaling.PoolConfig;
import dev.meridian.policy.scaling.ScalingOverride;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import java.util.Map;
import java.util.Optional;

/**
 * A registry pool as the scaling policy sees it: the service-wide settings, then the pool's overrides from
 * {@code config.policy_overrides} on top (merged by libs/policy's {@link ScalingOverride}, as the what-if replay
 * merges them).
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
        ScalingSettings settings = override.map(o -> overrideOf(o).applyTo(base)).orElse(base);
        return new PoolConfig(pool.region(), pool.name(), pool.tier(), pool.minSize(), pool.maxSize(),
                pool.warmSize(), pool.instanceTypes(), pool.capacityType(), pool.spotFallback(),
                pool.criticality(), settings);
    }

    /** The registry row's values, for the policy's merge. */
    static ScalingOverride overrideOf(PolicyOverride row) {
        return new ScalingOverride(row.scaleOutUtilization(), row.scaleInUtilization(), row.targetUtilization(),
                row.memoryResizeUtilization(), row.sustainWindows(), row.stabilization(), row.cooldown());
    }
}
