package dev.meridian.fleetsim.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.fleetsim.model.CapacityTable;
import dev.meridian.fleetsim.model.Delays;
import dev.meridian.fleetsim.model.LatencyTable;
import dev.meridian.fleetsim.traffic.AzureTrace;
import dev.meridian.fleetsim.traffic.TraceReplay;
import dev.meridian.fleetsim.traffic.TraceReplay.RegionReplay;
import dev.meridian.registry.config.Budget;
import dev.meridian.registry.config.BudgetScopeType;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.Price;
import dev.meridian.registry.config.Region;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two scale-out thresholds over a generated trace, on one region with one GPU pool of two g5.48xlarge (5,000 tokens/s
 * each, $10 an hour here): ten minutes at 7,500 tokens/s (75 % on two nodes), then ten at 9,800 (98 %). The clock
 * starts on a window boundary, windows are 10 s with 5 s grace, the sustain period three windows. The cold start is
 * 20 s, shorter than a sustain period (an 85 s one has its own test below).
 */
class WhatIfTest {

    private static final Instant START = Instant.parse("2026-11-16T18:00:00Z");

    @Test
    void aLowerThresholdScalesOutEarlierAndAvoidsTheOverload() {
        Scenario scenario = scenario(trace());
        WhatIfResult at80 = WhatIf.run(scenario, PolicySet.defaults());
        WhatIfResult at70 = WhatIf.run(scenario, PolicySet.defaults().withScaleOut(70));

        // 70 %: windows [0,10) [10,20) [20,30) at 75 % are hot; decided at 35 s (end + grace): ceil(2 × 75 / 60) = 3,
        // one node serving from 35 + 20 = 55 s. Window [50,60) then averages (62.5 + 62.5 + 50) / 3 = 58.3 %, and
        // 7,500 / 15,000 = 50 % and 9,800 / 15,000 = 65.3 % later: never hot again, never overloaded.
        assertThat(at70.actions()).containsExactlyEntriesOf(Map.of(ScaleAction.SCALE_OUT, 1));
        assertThat(at70.commands().get(0).triggerWindowEnd()).isEqualTo(START.plusSeconds(30));
        assertThat(at70.overloadNodeSeconds()).isZero();
        // node-seconds: 2 nodes × 1,200 s + 1 node × (1,200 − 55) s = 3,545
        assertThat(at70.nodeSeconds()).isEqualTo(3_545.0);

        // 80 %: 75 % is not hot. From 600 s at 98 % (≥ 95: overloaded): hot windows [600,610) … [620,630), decided at
        // 635 s: ceil(2 × 98 / 60) = 4, two nodes serving from 635 + 20 = 655 s, then 9,800 / 20,000 = 49 %.
        assertThat(at80.actions()).containsExactlyEntriesOf(Map.of(ScaleAction.SCALE_OUT, 1));
        assertThat(at80.commands().get(0).delta()).isEqualTo(2);
        // overloaded: 2 nodes × (655 − 600) s = 110 node-seconds
        assertThat(at80.overloadNodeSeconds()).isEqualTo(110.0);
        // 2 × 1,200 + 2 × (1,200 − 655) = 3,490 node-seconds
        assertThat(at80.nodeSeconds()).isEqualTo(3_490.0);

        // the ledger charges from each node's first sample to the end of the run, at $10 an hour (3,600 s)
        assertThat(at70.spend()).isCloseTo(new BigDecimal("9.8472"), within(new BigDecimal("0.0001")));
        assertThat(at80.spend()).isCloseTo(new BigDecimal("9.6944"), within(new BigDecimal("0.0001")));
        assertThat(at70.budgetState()).isEqualTo(BudgetState.OK);
        assertThat(at70.droppedTokens()).isZero();
        assertThat(at70.demandTokens()).isEqualTo(600 * 7_500.0 + 600 * 9_800.0);
    }

    @Test
    void aBudgetOnTrackToBeExceededHoldsBackGrowthOfNonCriticalPools() {
        Scenario scenario = scenario(trace());
        FleetSnapshot normal = withCriticality(scenario.fleet(), Criticality.NORMAL);
        // On 16 November, past the forecast's observation period: spend so far is what a month on track for 105 %
        // of the budget has spent by then, so the forecast basis starts at 105 %: EXCEEDED, CRITICAL pools only.
        Scenario overBudget = new Scenario(normal, scenario.traffic(), "t", START, scenario.duration(),
                scenario.capacity(), scenario.latency(), scenario.delays(), 0, 1, 105);

        WhatIfResult result = WhatIf.run(overBudget, PolicySet.defaults());

        assertThat(result.actions()).containsExactlyEntriesOf(Map.of(ScaleAction.DEFERRED, 1));
        assertThat(result.worstBudgetState()).isEqualTo(BudgetState.EXCEEDED);
        // overloaded from 600 s to the end: 2 × 600 node-seconds
        assertThat(result.overloadNodeSeconds()).isEqualTo(1_200.0);
    }

    @Test
    void aColdStartLongerThanTheSustainPeriodAsksOnce() {
        // 85 s: decided at 635 s as above (ceil(2 × 98 / 60) = 4, +2), the nodes join at 635 + 85 = 720 s. Windows
        // [630,640) … [700,710) are hot again, but 2 ready + 2 pending = 4 already. Window [710,720), decided at 725 s
        // with the 2 new nodes in the inventory, measured 98 % on the 2 old ones: ceil(2 × 98 / 60) = 4 again, not
        // ceil(4 × 98 / 60) = 7. From [720,730) 9,800 / 20,000 = 49 %.
        WhatIfResult at80 = WhatIf.run(scenario(trace(), 0, Duration.ofSeconds(85), Duration.ofMinutes(20)),
                PolicySet.defaults());

        assertThat(at80.actions()).containsExactlyEntriesOf(Map.of(ScaleAction.SCALE_OUT, 1));
        assertThat(at80.commands().get(0).delta()).isEqualTo(2);
        // 2 × 1,200 + 2 × (1,200 − 720) = 3,360 node-seconds
        assertThat(at80.nodeSeconds()).isEqualTo(3_360.0);
    }

    @Test
    void warmNodesDoNotHideTheServingLoad() {
        // warm pool of 2: the first window (closed at 15 s) refills it, the 2 warm nodes join at 15 + 20 = 35 s and
        // report 0 %. 5,000 tokens/s (50 %) for 120 s, then 9,000 (90 % on the 2 serving nodes, while the pool window
        // averages (90 + 90 + 0 + 0) / 4 = 45 %). Hot windows [120,130) … [140,150), decided at 155 s:
        // ceil(2 × 90 / 60) = 3, one warm node activated and the warm pool refilled by one; the activated node serves
        // from 155 + 10 = 165 s: 9,000 / 15,000 = 60 %.
        WhatIfResult result = WhatIf.run(scenario(trace(120, "4500,500", 180, "8000,1000"), 2,
                Duration.ofSeconds(20), Duration.ofMinutes(5)), PolicySet.defaults());

        assertThat(result.actions())
                .containsExactlyInAnyOrderEntriesOf(Map.of(ScaleAction.SCALE_OUT, 2, ScaleAction.ACTIVATE_WARM, 1));
        assertThat(result.commands()).filteredOn(command -> command.action() == ScaleAction.ACTIVATE_WARM)
                .singleElement().satisfies(activate -> {
                    assertThat(activate.triggerWindowEnd()).isEqualTo(START.plusSeconds(150));
                    assertThat(activate.desiredNodes()).isEqualTo(3);
                    assertThat(activate.reason()).contains("gpu 90 % > 80 %").contains("2 warm left out");
                });
        assertThat(result.overloadNodeSeconds()).isZero();
    }

    /** 7,000 + 500 tokens each second for 600 s, then 9,000 + 800 for 600 s. */
    private static AzureTrace trace() {
        return trace(600, "7000,500", 600, "9000,800");
    }

    /** {@code firstRow} (context, generated tokens) each second for {@code first} s, then {@code secondRow}. */
    private static AzureTrace trace(int first, String firstRow, int second, String secondRow) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");
        LocalDateTime t0 = LocalDateTime.parse("2023-11-16T18:00:00.0000000");
        StringBuilder csv = new StringBuilder("TIMESTAMP,ContextTokens,GeneratedTokens\n");
        for (int s = 0; s < first + second; s++) {
            csv.append(format.format(t0.plusSeconds(s).plusNanos(250_000_000))).append(',')
                    .append(s < first ? firstRow : secondRow).append('\n');
        }
        return AzureTrace.read(new StringReader(csv.toString()), "generated.csv");
    }

    private static Scenario scenario(AzureTrace trace) {
        return scenario(trace, 0, Duration.ofSeconds(20), Duration.ofMinutes(20));
    }

    private static Scenario scenario(AzureTrace trace, int warmSize, Duration coldStart, Duration duration) {
        Region region = new Region("r1", "US", "r1", "test", Instant.EPOCH);
        NodePool pool = new NodePool("r1", "gpu", Tier.CORE_GPU, 2, 8, warmSize, List.of("g5.48xlarge"),
                CapacityType.ON_DEMAND, false, Criticality.CRITICAL, Map.of("team", "serving"), "test", Instant.EPOCH);
        Price price = new Price("r1", "g5.48xlarge", CapacityType.ON_DEMAND, Instant.parse("2026-01-01T00:00:00Z"),
                Optional.empty(), new BigDecimal("10.0000"), "USD", "test", Instant.EPOCH);
        Budget global = new Budget("global", BudgetScopeType.GLOBAL, Optional.empty(), Optional.empty(),
                Optional.empty(), new BigDecimal("1000000.00"), "USD", "test", Instant.EPOCH);
        FleetSnapshot fleet = FleetSnapshot.of(List.of(region), List.of(), List.of(pool), List.of(price),
                List.of(global), List.of());
        return new Scenario(fleet, new TraceReplay(trace, Map.of(), RegionReplay.AS_RECORDED), "generated", START,
                duration, CapacityTable.defaults(), LatencyTable.defaults(),
                new Delays(Duration.ofSeconds(10), coldStart, Duration.ofMinutes(2)), 0, 1, 0);
    }

    private static FleetSnapshot withCriticality(FleetSnapshot fleet, Criticality criticality) {
        NodePool p = fleet.pools().get(0);
        NodePool changed = new NodePool(p.region(), p.name(), p.tier(), p.minSize(), p.maxSize(), p.warmSize(),
                p.instanceTypes(), p.capacityType(), p.spotFallback(), criticality, p.tags(), p.changedBy(),
                p.changedAt());
        return FleetSnapshot.of(fleet.regions(), fleet.allowList(), List.of(changed), fleet.prices(), fleet.budgets(),
                fleet.policyOverrides());
    }
}
