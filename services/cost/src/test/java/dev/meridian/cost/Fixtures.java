package dev.meridian.cost;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.registry.config.Budget;
import dev.meridian.registry.config.BudgetScopeType;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.Price;
import dev.meridian.registry.config.Region;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Registry rows and input records as the registry, metrics-ingest and the scaler would publish them. */
public final class Fixtures {

    public static final String GPU = "g5.xlarge";
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private Fixtures() {
    }

    public static Region region(String name, String zone) {
        return new Region(name, zone, name, "test", EPOCH);
    }

    public static Price price(String region, CapacityType capacity, String hourly) {
        return price(region, capacity, hourly, EPOCH, null);
    }

    public static Price price(String region, CapacityType capacity, String hourly, Instant from, Instant until) {
        return new Price(region, GPU, capacity, from, Optional.ofNullable(until), new BigDecimal(hourly), "USD",
                "test", EPOCH);
    }

    public static Budget budget(String scope, String monthly) {
        BudgetScopeType type = scope.equals("global") ? BudgetScopeType.GLOBAL
                : scope.startsWith("region:") ? BudgetScopeType.REGION : BudgetScopeType.TAG;
        return new Budget(scope, type, Optional.empty(), Optional.empty(), Optional.empty(), new BigDecimal(monthly),
                "USD", "test", EPOCH);
    }

    public static NodePool pool(String region, String name, CapacityType capacity, Map<String, String> tags) {
        return new NodePool(region, name, Tier.CORE_GPU, 0, 10, 0, List.of(GPU), capacity, false, Criticality.NORMAL,
                tags, "test", EPOCH);
    }

    public static FleetSnapshot snapshot(List<Region> regions, List<NodePool> pools, List<Price> prices,
            List<Budget> budgets) {
        return FleetSnapshot.of(regions, List.of(), pools, prices, budgets, List.of());
    }

    public static FleetNode node(String nodeId, String region, String pool, CapacityType capacity, NodeState state,
            Instant since) {
        return new FleetNode(nodeId, region, region + "-a", pool, Tier.CORE_GPU, GPU, capacity, state, since, since);
    }

    public static NodeUtilization window(String nodeId, String region, String pool, CapacityType capacity,
            double gpuAvg, Instant start) {
        return new NodeUtilization(nodeId, region, region + "-a", pool, Tier.CORE_GPU, GPU, capacity, start,
                start.plusSeconds(10), 10, gpuAvg, gpuAvg, 40, 20, 30, 1, 1, null, null);
    }

    public static ScaleCommand scaleIn(String region, String pool, Instant at, String... nodes) {
        return new ScaleCommand(region + "/" + pool + "/SCALE_IN/" + at, region, pool, ScaleAction.SCALE_IN, null, at,
                null, 3, 3 - nodes.length, -nodes.length, GPU, null, CapacityType.ON_DEMAND, Criticality.NORMAL,
                BudgetState.OK, false, List.of(nodes), "scale in: idle");
    }
}
