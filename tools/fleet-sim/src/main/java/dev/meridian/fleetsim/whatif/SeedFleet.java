package dev.meridian.fleetsim.whatif;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.registry.config.Budget;
import dev.meridian.registry.config.BudgetScopeType;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import dev.meridian.registry.config.Price;
import dev.meridian.registry.config.Region;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The registry seed ({@code libs/registry/src/main/resources/db/seed/V1__seed_fleet.sql}) as a {@link FleetSnapshot},
 * so what-if runs without PostgreSQL: five regions in three zones, a GPU core and a CPU edge pool per region, a spot
 * batch pool in us-east, on-demand and spot prices of every type of every ladder from 2026-01-01, the budgets and the
 * batch pool's policy override. {@code SeedFleetTest} checks these numbers against the SQL file.
 */
public final class SeedFleet {

    static final String ACTOR = "meridian-seed";
    static final Instant PRICES_FROM = Instant.parse("2026-01-01T00:00:00Z");

    /** Region, zone, display name, price premium over us-east. */
    record SeedRegion(String name, String zone, String displayName, String premium) {
    }

    /** On-demand us-east price and the spot price as a fraction of it. */
    record SeedType(String instanceType, String onDemand, String spotFactor) {
    }

    static final List<SeedRegion> REGIONS = List.of(
            new SeedRegion("us-east", "US", "US East (N. Virginia)", "1.0000"),
            new SeedRegion("us-west", "US", "US West (Oregon)", "1.0000"),
            new SeedRegion("eu-west", "EU", "EU West (Ireland)", "1.1000"),
            new SeedRegion("eu-central", "EU", "EU Central (Frankfurt)", "1.1300"),
            new SeedRegion("ap-southeast", "APAC", "Asia Pacific (Singapore)", "1.2100"));

    static final List<SeedType> TYPES = List.of(
            new SeedType("g5.12xlarge", "5.6720", "0.3500"),
            new SeedType("g5.48xlarge", "16.2880", "0.3500"),
            new SeedType("p4d.24xlarge", "32.7726", "0.4000"),
            new SeedType("p5.48xlarge", "98.3200", "0.4500"),
            new SeedType("c7i.2xlarge", "0.3570", "0.4200"),
            new SeedType("c7i.4xlarge", "0.7140", "0.4200"),
            new SeedType("c7i.8xlarge", "1.4280", "0.4200"));

    static final Map<String, String> BUDGETS = budgets();

    private SeedFleet() {
    }

    public static FleetSnapshot snapshot() {
        List<Region> regions = REGIONS.stream()
                .map(r -> new Region(r.name(), r.zone(), r.displayName(), ACTOR, PRICES_FROM)).toList();
        List<NodePool> pools = new ArrayList<>();
        for (SeedRegion region : REGIONS) {
            pools.add(pool(region.name(), "gpu-core", Tier.CORE_GPU, 2, 16, 2,
                    List.of("g5.48xlarge", "p4d.24xlarge", "p5.48xlarge"), CapacityType.ON_DEMAND, false,
                    Criticality.CRITICAL, Map.of("task", "inference", "team", "serving")));
            pools.add(pool(region.name(), "cpu-edge", Tier.EDGE_CPU, 3, 24, 1,
                    List.of("c7i.2xlarge", "c7i.4xlarge", "c7i.8xlarge"), CapacityType.ON_DEMAND, false,
                    Criticality.NORMAL, Map.of("task", "edge-routing", "team", "edge")));
        }
        pools.add(pool("us-east", "gpu-batch", Tier.CORE_GPU, 0, 8, 0, List.of("g5.12xlarge", "g5.48xlarge"),
                CapacityType.SPOT, true, Criticality.LOW, Map.of("task", "batch", "team", "research")));

        List<Price> prices = new ArrayList<>();
        for (SeedType type : TYPES) {
            for (SeedRegion region : REGIONS) {
                // g5.12xlarge only exists in us-east's batch pool.
                if (type.instanceType().equals("g5.12xlarge") && !region.name().equals("us-east")) {
                    continue;
                }
                for (CapacityType capacity : CapacityType.values()) {
                    prices.add(new Price(region.name(), type.instanceType(), capacity, PRICES_FROM, Optional.empty(),
                            price(type, region, capacity), "USD", ACTOR, PRICES_FROM));
                }
            }
        }

        List<Budget> budgets = new ArrayList<>();
        BUDGETS.forEach((scope, amount) -> budgets.add(budget(scope, amount)));

        PolicyOverride batch = new PolicyOverride("us-east", "gpu-batch", Optional.of(new BigDecimal("90.00")),
                Optional.of(new BigDecimal("20.00")), Optional.of(new BigDecimal("75.00")), Optional.empty(),
                OptionalInt.of(6), Optional.of(Duration.ofSeconds(600)), Optional.empty(), ACTOR, PRICES_FROM);
        return FleetSnapshot.of(regions, List.of(), pools, prices, budgets, List.of(batch));
    }

    /** The same fleet with every pool's warm size 0. */
    public static FleetSnapshot withoutWarmPools(FleetSnapshot fleet) {
        List<NodePool> pools = fleet.pools().stream()
                .map(p -> new NodePool(p.region(), p.name(), p.tier(), p.minSize(), p.maxSize(), 0, p.instanceTypes(),
                        p.capacityType(), p.spotFallback(), p.criticality(), p.tags(), p.changedBy(), p.changedAt()))
                .toList();
        return FleetSnapshot.of(fleet.regions(), fleet.allowList(), pools, fleet.prices(), fleet.budgets(),
                fleet.policyOverrides());
    }

    /** As the seed computes it: round(on-demand × premium × spot factor, 4), half away from zero. */
    static BigDecimal price(SeedType type, SeedRegion region, CapacityType capacity) {
        BigDecimal price = new BigDecimal(type.onDemand()).multiply(new BigDecimal(region.premium()));
        if (capacity == CapacityType.SPOT) {
            price = price.multiply(new BigDecimal(type.spotFactor()));
        }
        return price.setScale(4, RoundingMode.HALF_UP);
    }

    private static NodePool pool(String region, String name, Tier tier, int min, int max, int warm, List<String> types,
            CapacityType capacity, boolean spotFallback, Criticality criticality, Map<String, String> tags) {
        return new NodePool(region, name, tier, min, max, warm, types, capacity, spotFallback, criticality, tags, ACTOR,
                PRICES_FROM);
    }

    private static Budget budget(String scope, String amount) {
        int colon = scope.indexOf(':');
        BudgetScopeType type = scope.equals("global") ? BudgetScopeType.GLOBAL
                : scope.startsWith("region:") ? BudgetScopeType.REGION : BudgetScopeType.TAG;
        Optional<String> region = type == BudgetScopeType.REGION ? Optional.of(scope.substring(colon + 1))
                : Optional.empty();
        Optional<String> tagKey = type == BudgetScopeType.TAG ? Optional.of(scope.substring(0, colon)) : Optional.empty();
        Optional<String> tagValue = type == BudgetScopeType.TAG ? Optional.of(scope.substring(colon + 1))
                : Optional.empty();
        return new Budget(scope, type, region, tagKey, tagValue, new BigDecimal(amount), "USD", ACTOR, PRICES_FROM);
    }

    private static Map<String, String> budgets() {
        Map<String, String> budgets = new LinkedHashMap<>();
        budgets.put("global", "2500000.00");
        budgets.put("region:us-east", "900000.00");
        budgets.put("region:us-west", "500000.00");
        budgets.put("region:eu-west", "450000.00");
        budgets.put("region:eu-central", "350000.00");
        budgets.put("region:ap-southeast", "300000.00");
        budgets.put("team:research", "150000.00");
        return budgets;
    }
}
