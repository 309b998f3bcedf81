package dev.meridian.policy.cost;

import static dev.meridian.policy.cost.CostFixtures.CATALOG;
import static dev.meridian.policy.cost.CostFixtures.CPU;
import static dev.meridian.policy.cost.CostFixtures.GPU;
import static dev.meridian.policy.cost.CostFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EfficiencyTest {

    private static NodeUtilization window(String node, Tier tier, String type, String start, int samples, double gpu,
            double cpu) {
        String pool = tier == Tier.CORE_GPU ? "infer" : "edge";
        return new NodeUtilization(node, "us-east", "us-east-1a", pool, tier, type, CapacityType.ON_DEMAND, at(start),
                at(start).plusSeconds(10), samples, gpu, gpu, 10, cpu, 10, 0, 0, null, null);
    }

    @Test
    void chargesIdleWindowsOnlyWithTheTiersOwnLoad() {
        List<NodeUtilization> windows = List.of(
                window("g-1", Tier.CORE_GPU, GPU, "09:00:00", 10, 5, 90),
                window("g-1", Tier.CORE_GPU, GPU, "09:00:00", 3, 50, 90), // a re-emission with fewer samples
                window("g-1", Tier.CORE_GPU, GPU, "09:00:10", 10, 9.99, 90),
                window("g-1", Tier.CORE_GPU, GPU, "09:00:20", 10, 10.0, 0),
                window("e-1", Tier.EDGE_CPU, CPU, "09:00:00", 10, 50, 3),
                window("e-1", Tier.EDGE_CPU, CPU, "09:00:10", 10, 0, 50));

        List<CostLine> idle = Efficiency.idleCost(windows, w -> Map.of("team", "search"), CATALOG,
                Efficiency.DEFAULT_IDLE_BELOW);

        // edge: 10 s × 0.0850 / 3600 = 0.85 / 3600 = 0.000236111… → 0.000236111
        // infer: 20 s × 1.0060 / 3600 = 20.12 / 3600 = 0.005588888… → 0.005588889
        assertThat(idle).extracting(l -> l.tags().get("pool"), CostLine::amount, CostLine::nodeSeconds)
                .containsExactly(tuple("edge", new BigDecimal("0.000236111"), 10L),
                        tuple("infer", new BigDecimal("0.005588889"), 20L));
    }

    @Test
    void anIdleWindowAcrossAPriceChangeIsSplitAtIt() {
        List<CostLine> idle = Efficiency.idleCost(List.of(window("g-1", Tier.CORE_GPU, GPU, "10:29:55", 10, 0, 0)),
                w -> Map.of(), CATALOG, Efficiency.DEFAULT_IDLE_BELOW);

        // 5 s × 1.0060 + 5 s × 1.2000 = 5.03 + 6 = 11.03 price-seconds / 3600 = 0.003063888… → 0.003063889
        assertThat(idle).singleElement()
                .satisfies(l -> assertThat(l.amount()).isEqualTo(new BigDecimal("0.003063889")));
    }

    @Test
    void spotSavingsRollUpByTag() {
        CostLedger ledger = CostLedger.startingAt(at("09:00:00"), CostLedger.DEFAULT_LATENESS);
        ledger = ledger.onNode(CostFixtures.node("s-1", "batch", CapacityType.SPOT,
                dev.meridian.contracts.fleet.NodeState.JOINED, at("09:00:00")), Map.of("team", "research"), CATALOG,
                at("09:00:00")).ledger();
        ledger = ledger.onNode(CostFixtures.node("s-2", "warmup", CapacityType.SPOT,
                dev.meridian.contracts.fleet.NodeState.JOINED, at("09:00:00")), Map.of("team", "research"), CATALOG,
                at("09:00:00")).ledger();
        ledger = ledger.onNode(CostFixtures.node("o-1", "infer", CapacityType.ON_DEMAND,
                dev.meridian.contracts.fleet.NodeState.JOINED, at("09:00:00")), Map.of("team", "search"), CATALOG,
                at("09:00:00")).ledger();
        LedgerStep step = ledger.tick(at("10:00:00"), CATALOG);

        List<RollupRow> byTeam = SpendRollup.rollup(Efficiency.spotSavings(step.changed()), Granularity.DAY,
                ZoneOffset.UTC, List.of("team"));

        // two spot nodes × 1 h × (1.0060 − 0.3018) = 2 × 0.7042 = 1.4084; the on-demand node saves nothing
        assertThat(byTeam).extracting(r -> r.group().get("team"), RollupRow::amount, RollupRow::nodeSeconds)
                .containsExactly(tuple("research", new BigDecimal("1.408400000"), 7200L));
    }
}
