package dev.meridian.registry.rules;

import dev.meridian.policy.cost.Budget;
import dev.meridian.policy.cost.BudgetScope;
import dev.meridian.policy.cost.CostTags;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.scaling.PoolConfig;
import dev.meridian.policy.scaling.ScalingOverride;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.AllowListEntry;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import dev.meridian.registry.config.Region;
import dev.meridian.registry.config.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * What the registry's rows mean to the policies: residency rules, budgets, client regions, scaled pools. The services and the
 * what-if both read the registry through here, so a rule cannot be read one way when deciding and another when
 * simulating.
 *
 * <p>Here rather than in libs/policy: the policy knows nothing of the registry, its rows or the Kafka view that
 * follows them; the registry knows its rows and says what they are in the policy's terms. Pure functions of a
 * snapshot, no I/O.
 */
public final class FleetRules {

    private static final Set<String> KNOWN_ZONES = Arrays.stream(Zone.values()).map(Zone::name)
            .collect(Collectors.toUnmodifiableSet());

    private FleetRules() {
    }

    /** Every region's zone and the allow-list exceptions; zones the registry does not define count as unknown. */
    public static Residency residency(FleetSnapshot snapshot) {
        Map<String, String> zones = new HashMap<>();
        snapshot.regions().forEach(r -> zones.put(r.name(), r.zoneCode()));
        Map<String, Set<String>> allow = new HashMap<>();
        for (AllowListEntry entry : snapshot.allowList()) {
            allow.computeIfAbsent(entry.clientRegion(), k -> new HashSet<>()).add(entry.servingRegion());
        }
        return new Residency(zones, KNOWN_ZONES, allow);
    }

    /**
     * The pool's policy view: {@code base} with the pool's {@code config.policy_overrides} row on top (merged by the
     * policy's {@link ScalingOverride}); empty when the registry does not know the pool.
     *
     * @throws IllegalArgumentException when its overrides contradict each other (e.g. scale-in above target)
     */
    public static Optional<ScaledPool> scaledPool(FleetSnapshot snapshot, String region, String pool,
            ScalingSettings base) {
        return snapshot.pool(region, pool).map(row -> scaled(snapshot, row, base));
    }

    /**
     * Every pool of the registry, by {@code region/pool}.
     *
     * @throws IllegalArgumentException when a pool's overrides contradict each other
     */
    public static Map<String, ScaledPool> scaledPools(FleetSnapshot snapshot, ScalingSettings base) {
        Map<String, ScaledPool> pools = new TreeMap<>();
        for (NodePool row : snapshot.pools()) {
            ScaledPool scaled = scaled(snapshot, row, base);
            pools.put(scaled.config().key(), scaled);
        }
        return pools;
    }

    private static ScaledPool scaled(FleetSnapshot snapshot, NodePool pool, ScalingSettings base) {
        ScalingSettings settings = snapshot.policyOverride(pool.region(), pool.name())
                .map(row -> overrideOf(row).applyTo(base)).orElse(base);
        PoolConfig config = new PoolConfig(pool.region(), pool.name(), pool.tier(), pool.minSize(), pool.maxSize(),
                pool.warmSize(), pool.instanceTypes(), pool.capacityType(), pool.spotFallback(), pool.criticality(),
                settings);
        return new ScaledPool(pool, config, CostTags.of(pool.name(), pool.tier(), pool.capacityType(), pool.tags()));
    }

    /** The registry row's values, for the policy's merge. */
    static ScalingOverride overrideOf(PolicyOverride row) {
        return new ScalingOverride(row.scaleOutUtilization(), row.scaleInUtilization(), row.targetUtilization(),
                row.memoryResizeUtilization(), row.sustainWindows(), row.stabilization(), row.cooldown());
    }

    /** Every region the registry knows is a client region; unknown ones are refused by the policy anyway. */
    public static SortedSet<String> clientRegions(FleetSnapshot snapshot) {
        return snapshot.regions().stream().map(Region::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The registry's budgets as the policy's; one whose scope cannot be read is handed to {@code skipped} with the
     * reason and left out, so one bad row does not stop every budget.
     */
    public static List<Budget> budgets(FleetSnapshot snapshot, BiConsumer<String, String> skipped) {
        List<Budget> result = new ArrayList<>();
        for (dev.meridian.registry.config.Budget row : snapshot.budgets()) {
            try {
                result.add(new Budget(BudgetScope.parse(row.scope()), row.monthlyAmount(), row.currency()));
            } catch (IllegalArgumentException e) {
                skipped.accept(row.scope(), e.getMessage());
            }
        }
        return result;
    }
}
