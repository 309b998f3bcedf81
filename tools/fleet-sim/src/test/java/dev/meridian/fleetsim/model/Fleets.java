package dev.meridian.fleetsim.model;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.Region;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small fleets and commands for the model tests: every number in them is easy to compute by hand. */
public final class Fleets {

    /** g5.48xlarge in the default capacity table. */
    public static final double GPU_TOKENS = 5_000;

    private Fleets() {
    }

    public static Region region(String name) {
        return new Region(name, "US", name, "test", Instant.EPOCH);
    }

    public static NodePool gpuPool(String region, int min, int max, CapacityType capacity) {
        return new NodePool(region, "gpu", Tier.CORE_GPU, min, max, 0, List.of("g5.48xlarge", "p4d.24xlarge"),
                capacity, capacity == CapacityType.SPOT, Criticality.CRITICAL, Map.of(), "test", Instant.EPOCH);
    }

    /** Regions of zone US, each with one on-demand GPU pool of {@code nodes} nodes (g5.48xlarge, 5,000 tokens/s). */
    public static FleetSnapshot gpuRegions(int nodes, String... regions) {
        List<Region> all = new ArrayList<>();
        List<NodePool> pools = new ArrayList<>();
        for (String name : regions) {
            all.add(region(name));
            pools.add(gpuPool(name, nodes, 16, CapacityType.ON_DEMAND));
        }
        return FleetSnapshot.of(all, List.of(), pools, List.of(), List.of(), List.of());
    }

    public static ScaleCommand command(String id, String region, ScaleAction action, int current, int desired,
            List<String> nodes) {
        return new ScaleCommand(id, region, "gpu", action, null, Instant.EPOCH, null, current, desired,
                desired - current, "g5.48xlarge", action == ScaleAction.RESIZE ? "p4d.24xlarge" : null,
                CapacityType.ON_DEMAND, Criticality.CRITICAL, BudgetState.OK, false, nodes, "test");
    }

    /** A scale-out that refills the warm pool, as the scaler writes it ({@code purpose: WARM_POOL}). */
    public static ScaleCommand warmRefill(String id, String region, int current, int desired) {
        return new ScaleCommand(id, region, "gpu", ScaleAction.SCALE_OUT, null, Instant.EPOCH, null, current, desired,
                desired - current, ScalePurpose.WARM_POOL, "g5.48xlarge", null, CapacityType.ON_DEMAND,
                Criticality.CRITICAL, BudgetState.OK, false, List.of(), "test");
    }
}
