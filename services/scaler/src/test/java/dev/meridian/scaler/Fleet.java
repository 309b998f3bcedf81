package dev.meridian.scaler;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.Region;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Registry rows and input records as the registry, metrics-ingest and cost would publish them. */
public final class Fleet {

    public static final List<String> LADDER = List.of("g5.xlarge", "g5.12xlarge", "p4d.24xlarge");

    private Fleet() {
    }

    /** A registry region; pools of regions the registry does not know are ignored everywhere. */
    public static Region region(String name, String zone) {
        return new Region(name, zone, name, "test", Instant.EPOCH);
    }

    public static NodePool pool(String region, String name, int min, int max, int warm, CapacityType capacity,
            Criticality criticality, Map<String, String> tags) {
        return new NodePool(region, name, Tier.CORE_GPU, min, max, warm, LADDER, capacity,
                capacity == CapacityType.SPOT, criticality, tags, "test", Instant.EPOCH);
    }

    /** Window k of a timeline starting at {@code t0}: [t0 + 10k s, t0 + 10(k+1) s). */
    public static PoolUtilization window(String region, String pool, Instant t0, int k, double gpu) {
        Instant start = t0.plusSeconds(10L * k);
        return new PoolUtilization(region, pool, Tier.CORE_GPU, start, start.plus(Duration.ofSeconds(10)), 4, 4, 0, 0,
                gpu, Math.min(100, gpu + 2), 20, 50, null, null);
    }

    /** Node {@code nodeId}'s window k of a timeline starting at {@code t0}, as metrics-ingest publishes it. */
    public static NodeUtilization nodeWindow(String region, String pool, String nodeId, Instant t0, int k,
            double gpu) {
        Instant start = t0.plusSeconds(10L * k);
        return new NodeUtilization(nodeId, region, region + "-a", pool, Tier.CORE_GPU, LADDER.get(0),
                CapacityType.ON_DEMAND, start, start.plus(Duration.ofSeconds(10)), 10, gpu, Math.min(100, gpu + 2),
                50, 20, 40, 1, 1, null, null);
    }

    public static FleetNode node(String region, String pool, String nodeId, CapacityType capacity, NodeState state,
            Instant at) {
        return new FleetNode(nodeId, region, region + "-a", pool, Tier.CORE_GPU, LADDER.get(0), capacity, state, at,
                at);
    }

    public static Interruption interruption(String region, String pool, String nodeId, Instant at) {
        return new Interruption(nodeId, region, pool, at, at.plus(Duration.ofMinutes(2)), "aws-spot");
    }

    public static BudgetStatus budget(String scope, BudgetState state, Instant at) {
        return new BudgetStatus(scope, YearMonth.from(at.atZone(ZoneOffset.UTC)).toString(), new BigDecimal("1000"),
                new BigDecimal("1000"), null, "USD", state, 100, List.of(50, 80, 90, 95, 100), at);
    }
}
