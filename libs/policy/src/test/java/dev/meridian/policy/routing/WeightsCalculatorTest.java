package dev.meridian.policy.routing;

import static dev.meridian.policy.routing.RoutingFixtures.NOW;
import static dev.meridian.policy.routing.RoutingFixtures.RECENT;
import static dev.meridian.policy.routing.RoutingFixtures.SEED_RESIDENCY;
import static dev.meridian.policy.routing.RoutingFixtures.assertValid;
import static dev.meridian.policy.routing.RoutingFixtures.fleetNode;
import static dev.meridian.policy.routing.RoutingFixtures.gpuNode;
import static dev.meridian.policy.routing.RoutingFixtures.gpuPool;
import static dev.meridian.policy.routing.RoutingFixtures.gpuTable;
import static dev.meridian.policy.routing.RoutingFixtures.inputs;
import static dev.meridian.policy.routing.RoutingFixtures.node;
import static dev.meridian.policy.routing.RoutingFixtures.nodeWeight;
import static dev.meridian.policy.routing.RoutingFixtures.pool;
import static dev.meridian.policy.routing.RoutingFixtures.regionWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeightsCalculatorTest {

    private static final double EXACT = 1e-12;

    private final WeightsCalculator calculator = new WeightsCalculator(RoutingSettings.DEFAULTS);

    @Test
    void regionWeightsScaleWithEligibleNodesAndShrinkWithLatencyAndLoad() {
        RoutingTargets targets = calculator.compute(inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 4, 50), gpuPool("eu-central", "gpu-core", 6, 20))
                .latency("eu-west", 2).latency("eu-central", 12)
                .build(), NOW);

        // eu-west:    4 / (2 ms · 1.5) = 4/3 = 16/12
        // eu-central: 6 / (12 ms · 1.2) = 6/14.4 = 5/12
        // sum 21/12, so the shares are 16/21 and 5/21
        TierTable table = gpuTable(targets);
        assertThat(regionWeight(table, "eu-west")).isCloseTo(16.0 / 21, within(EXACT));
        assertThat(regionWeight(table, "eu-central")).isCloseTo(5.0 / 21, within(EXACT));
        assertThat(table.regions()).extracting(RegionWeight::region, RegionWeight::eligibleNodes, RegionWeight::latencyMs)
                .containsExactly(tuple("eu-central", 6, 12.0), tuple("eu-west", 4, 2.0));
        assertThat(table.nodes()).isEmpty();
        assertThat(targets.excluded()).isEmpty();
        assertValid(targets);
    }

    @Test
    void poolsOfOneRegionAddUpAndTheReportedLoadIsTheirEligibleWeightedAverage() {
        RoutingTargets targets = calculator.compute(inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 4, 50), gpuPool("eu-west", "gpu-batch", 2, 0),
                        gpuPool("eu-central", "gpu-core", 7, 0))
                .latency("eu-west", 2).latency("eu-central", 3)
                .build(), NOW);

        // eu-west:    4 / (2 · 1.5) + 2 / (2 · 1.0) = 4/3 + 1 = 7/3
        // eu-central: 7 / (3 · 1.0) = 7/3  → equal shares of 1/2
        // eu-west load: (4 · 50 + 2 · 0) / 6 = 33.33…
        TierTable table = gpuTable(targets);
        assertThat(regionWeight(table, "eu-west")).isCloseTo(0.5, within(EXACT));
        assertThat(regionWeight(table, "eu-central")).isCloseTo(0.5, within(EXACT));
        RegionWeight west = table.regions().get(1);
        assertThat(west.eligibleNodes()).isEqualTo(6);
        assertThat(west.load()).isCloseTo(200.0 / 6, within(EXACT));
    }

    @Test
    void nodeWeightsOnlyForTheHomeRegionNormalisedWithinTheTable() {
        RoutingTargets targets = calculator.compute(inputs("eu-west").home("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 3, 25), gpuPool("eu-central", "gpu-core", 3, 25))
                .node(gpuNode("n1", "eu-west", 0), gpuNode("n2", "eu-west", 50), gpuNode("n3", "eu-west", 25),
                        gpuNode("c1", "eu-central", 0))
                .latency("eu-west", 2).latency("eu-central", 10)
                .build(), NOW);

        // y = 1 / (2 ms · (1 + load/100)): n1 1/2, n2 1/3, n3 1/2.5 = 2/5; sum 15/30 + 10/30 + 12/30 = 37/30
        // shares: n1 15/37, n2 10/37, n3 12/37. c1 is in eu-central, not a home region: no node weight.
        TierTable table = gpuTable(targets);
        assertThat(table.nodes()).extracting(n -> n.nodeId()).containsExactly("n1", "n2", "n3");
        assertThat(nodeWeight(table, "n1")).isCloseTo(15.0 / 37, within(EXACT));
        assertThat(nodeWeight(table, "n2")).isCloseTo(10.0 / 37, within(EXACT));
        assertThat(nodeWeight(table, "n3")).isCloseTo(12.0 / 37, within(EXACT));
        assertThat(table.nodes().get(1).load()).isEqualTo(50.0);
        assertValid(targets);
    }

    @Test
    void edgeTierWeighsCpuLoadNotGpuLoad() {
        RoutingTargets targets = calculator.compute(inputs("us-east").home("us-east")
                .pool(pool("us-east", "edge", Tier.EDGE_CPU, 5, 0, 90, 0, RECENT),
                        pool("us-west", "edge", Tier.EDGE_CPU, 5, 0, 0, 100, RECENT))
                .node(node("e1", "us-east", Tier.EDGE_CPU, 90, 0, RECENT),
                        node("e2", "us-east", Tier.EDGE_CPU, 0, 50, RECENT))
                .latency("us-east", 4).latency("us-west", 4)
                .build(), NOW);

        // CPU loads 0 and 100: 5 / (4 · 1) against 5 / (4 · 2) → 2/3 and 1/3 (GPU loads would reverse it)
        TierTable edge = targets.table(Tier.EDGE_CPU).orElseThrow();
        assertThat(regionWeight(edge, "us-east")).isCloseTo(2.0 / 3, within(EXACT));
        assertThat(regionWeight(edge, "us-west")).isCloseTo(1.0 / 3, within(EXACT));
        // nodes: e1 CPU 0 → 1/4, e2 CPU 50 → 1/6; shares 3/5 and 2/5
        assertThat(nodeWeight(edge, "e1")).isCloseTo(0.6, within(EXACT));
        assertThat(nodeWeight(edge, "e2")).isCloseTo(0.4, within(EXACT));
        assertThat(edge.nodes().get(0).load()).isEqualTo(0.0);
        TierTable gpu = gpuTable(targets);
        assertThat(gpu.regions()).isEmpty();
        assertThat(gpu.noneEligibleReason()).contains("no CORE_GPU pool reports");
    }

    @Test
    void latencyBelowOneMillisecondCountsAsOne() {
        RoutingTargets targets = calculator.compute(inputs("us-east")
                .pool(gpuPool("us-east", "gpu-core", 2, 0), gpuPool("us-west", "gpu-core", 2, 0))
                .latency("us-east", 0.2).latency("us-west", 1.0)
                .build(), NOW);

        // max(1, 0.2) = 1 → 2/1 against 2/1: equal shares, not 5 : 1
        TierTable table = gpuTable(targets);
        assertThat(regionWeight(table, "us-east")).isCloseTo(0.5, within(EXACT));
        assertThat(table.regions()).extracting(RegionWeight::latencyMs).containsExactly(1.0, 1.0);
    }

    @Test
    void missingLatencyMakesTheRegionIneligibleForEveryTier() {
        RoutingTargets targets = calculator.compute(inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 2, 10), gpuPool("eu-central", "gpu-core", 8, 10))
                .latency("eu-west", 3)
                .latency(RoutingFixtures.latency("eu-central", "eu-west", 3))
                .build(), NOW);

        // only the reverse direction eu-central → eu-west is known, which is not the pair we need
        TierTable table = gpuTable(targets);
        assertThat(table.regions()).extracting(RegionWeight::region).containsExactly("eu-west");
        assertThat(regionWeight(table, "eu-west")).isEqualTo(1.0);
        assertThat(targets.excluded()).singleElement().satisfies(e -> {
            assertThat(e.scope()).isEqualTo(ExclusionScope.REGION);
            assertThat(e.target()).isEqualTo("eu-central");
            assertThat(e.tier()).isNull();
            assertThat(e.reason()).isEqualTo(ExclusionReason.MISSING_LATENCY);
            assertThat(e.detail()).contains("eu-west to eu-central");
        });
    }

    @Test
    void negativeLatencyCountsAsMissing() {
        RoutingTargets targets = calculator.compute(inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 2, 10))
                .latency("eu-west", -1)
                .build(), NOW);

        assertThat(targets.excluded()).extracting(Exclusion::reason).containsExactly(ExclusionReason.MISSING_LATENCY);
        assertThat(gpuTable(targets).noneEligibleReason()).isEqualTo("no region eligible for CORE_GPU: eu-west MISSING_LATENCY");
        assertValid(targets);
    }

    @Test
    void regionWhoseNewestAggregateReachedTheStalenessTimeoutIsExcludedForThatTier() {
        RoutingTargets targets = calculator.compute(inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 2, 10),
                        // exactly 30 s old: stale (the timeout is inclusive)
                        pool("eu-central", "gpu-core", Tier.CORE_GPU, 4, 0, 10, 10, NOW.minusSeconds(30)),
                        // 29.999 s old: still fresh
                        pool("eu-central", "edge", Tier.EDGE_CPU, 4, 0, 10, 10, NOW.minusMillis(29_999)))
                .latency("eu-west", 3).latency("eu-central", 5)
                .build(), NOW);

        assertThat(targets.excluded()).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo("eu-central");
            assertThat(e.tier()).isEqualTo(Tier.CORE_GPU);
            assertThat(e.reason()).isEqualTo(ExclusionReason.STALE);
        });
        assertThat(gpuTable(targets).regions()).extracting(RegionWeight::region).containsExactly("eu-west");
        assertThat(targets.table(Tier.EDGE_CPU).orElseThrow().regions()).extracting(RegionWeight::region)
                .containsExactly("eu-central");
        // the edge aggregate is the first to go stale: at its end + 30 s
        assertThat(targets.expiresAt()).isEqualTo(NOW.minusMillis(29_999).plusSeconds(30));
    }

    @Test
    void aRegionExcludedAsStaleReturnsOnlyWithAnAggregateThatHasHalfTheTimeoutToLive() {
        // the default staleness timeout is 30 s: back needs an aggregate that ended within the last 15 s
        RoutingWeights stale = new RoutingWeights("eu-west", 7, NOW.minusSeconds(1), false, List.of(),
                List.of(new Exclusion(ExclusionScope.REGION, "eu-central", Tier.CORE_GPU, ExclusionReason.STALE,
                        "newest CORE_GPU pool aggregate ended long ago")));
        RoutingFixtures.Builder replayed = inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 2, 10),
                        // the first record of a replayed backlog: fresh, but 16 s old
                        pool("eu-central", "gpu-core", Tier.CORE_GPU, 4, 0, 10, 10, NOW.minusSeconds(16)))
                .latency("eu-west", 3).latency("eu-central", 5);

        RoutingTargets returning = calculator.compute(replayed.build(), NOW, stale);
        assertThat(returning.excluded()).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo("eu-central");
            assertThat(e.tier()).isEqualTo(Tier.CORE_GPU);
            assertThat(e.reason()).isEqualTo(ExclusionReason.STALE);
            assertThat(e.detail()).startsWith("returning: ");
        });
        assertThat(gpuTable(returning).regions()).extracting(RegionWeight::region).containsExactly("eu-west");
        // a region that was serving keeps serving on the same aggregate: the margin is for coming back only
        assertThat(gpuTable(calculator.compute(replayed.build(), NOW, null)).regions())
                .extracting(RegionWeight::region).containsExactly("eu-central", "eu-west");

        RoutingTargets back = calculator.compute(replayed
                .pool(pool("eu-central", "gpu-core", Tier.CORE_GPU, 4, 0, 10, 10, NOW.minusSeconds(14))).build(),
                NOW, stale);
        assertThat(back.excluded()).isEmpty();
        assertThat(gpuTable(back).regions()).extracting(RegionWeight::region).containsExactly("eu-central", "eu-west");
    }

    @Test
    void aStalePoolOfAFreshRegionStopsCountingWithoutExcludingTheRegion() {
        RoutingTargets targets = calculator.compute(inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 2, 0),
                        pool("eu-west", "gpu-batch", Tier.CORE_GPU, 50, 0, 0, 0, NOW.minusSeconds(40)),
                        gpuPool("eu-central", "gpu-core", 2, 0))
                .latency("eu-west", 1).latency("eu-central", 1)
                .build(), NOW);

        // the stale batch pool's 50 nodes would give eu-west 52/54; without them it is 2 : 2
        assertThat(regionWeight(gpuTable(targets), "eu-west")).isCloseTo(0.5, within(EXACT));
        assertThat(targets.excluded()).isEmpty();
    }

    @Test
    void regionWithoutAnEligibleNodeIsExcludedAsSaturated() {
        RoutingTargets targets = calculator.compute(inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 2, 10),
                        pool("eu-central", "gpu-core", Tier.CORE_GPU, 0, 3, 97, 10, RECENT))
                .latency("eu-west", 3).latency("eu-central", 5)
                .build(), NOW);

        assertThat(targets.excluded()).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo("eu-central");
            assertThat(e.tier()).isEqualTo(Tier.CORE_GPU);
            assertThat(e.reason()).isEqualTo(ExclusionReason.SATURATED);
            assertThat(e.detail()).isEqualTo("0 of 3 CORE_GPU nodes eligible (3 saturated)");
        });
    }

    @Test
    void everyNodeExclusionReasonWithItsPrecedence() {
        RoutingTargets targets = calculator.compute(inputs("eu-west").home("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 8, 50))
                .latency("eu-west", 2)
                .node(gpuNode("ok", "eu-west", 94.99),
                        gpuNode("hot", "eu-west", 95.0),
                        gpuNode("drain", "eu-west", 10),
                        // interrupted and draining: the interruption is the more specific reason
                        gpuNode("spot", "eu-west", 10),
                        gpuNode("gone", "eu-west", 10),
                        gpuNode("marked", "eu-west", 10),
                        node("old", "eu-west", Tier.CORE_GPU, 10, 10, NOW.minusSeconds(30)))
                .inventory(fleetNode("gone", "eu-west", Tier.CORE_GPU, NodeState.LEFT),
                        fleetNode("marked", "eu-west", Tier.CORE_GPU, NodeState.STALE),
                        fleetNode("silent", "eu-west", Tier.CORE_GPU, NodeState.JOINED),
                        fleetNode("ok", "eu-west", Tier.CORE_GPU, NodeState.JOINED))
                .draining("drain", "spot")
                .interrupted("spot")
                .build(), NOW);

        assertThat(gpuTable(targets).nodes()).extracting(n -> n.nodeId()).containsExactly("ok");
        assertThat(nodeWeight(gpuTable(targets), "ok")).isEqualTo(1.0);
        assertThat(targets.excluded())
                .extracting(Exclusion::scope, Exclusion::target, Exclusion::tier, Exclusion::reason)
                .containsExactly(
                        tuple(ExclusionScope.NODE, "drain", Tier.CORE_GPU, ExclusionReason.DRAINING),
                        tuple(ExclusionScope.NODE, "gone", Tier.CORE_GPU, ExclusionReason.LEFT),
                        tuple(ExclusionScope.NODE, "hot", Tier.CORE_GPU, ExclusionReason.SATURATED),
                        tuple(ExclusionScope.NODE, "marked", Tier.CORE_GPU, ExclusionReason.STALE),
                        tuple(ExclusionScope.NODE, "old", Tier.CORE_GPU, ExclusionReason.STALE),
                        tuple(ExclusionScope.NODE, "silent", Tier.CORE_GPU, ExclusionReason.STALE),
                        tuple(ExclusionScope.NODE, "spot", Tier.CORE_GPU, ExclusionReason.INTERRUPTED));
        assertThat(targets.excluded()).filteredOn(e -> e.target().equals("silent")).singleElement()
                .extracting(Exclusion::detail).isEqualTo("no CORE_GPU utilization window");
        assertValid(targets);
    }

    @Test
    void outsideResidencyUnlessAllowListed() {
        RoutingTargets closed = calculator.compute(inputs("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 1, 90), gpuPool("us-east", "gpu-core", 100, 0))
                .latency("eu-west", 5).latency("us-east", 80)
                .build(), NOW);

        // however idle us-east is, an EU client never sees it
        assertThat(gpuTable(closed).regions()).extracting(RegionWeight::region).containsExactly("eu-west");
        assertThat(closed.excluded()).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo("us-east");
            assertThat(e.tier()).isNull();
            assertThat(e.reason()).isEqualTo(ExclusionReason.OUTSIDE_RESIDENCY);
        });

        Residency allowed = new Residency(SEED_RESIDENCY.zoneByRegion(), SEED_RESIDENCY.knownZones(),
                Map.of("eu-west", Set.of("us-east")));
        RoutingTargets open = calculator.compute(inputs("eu-west").residency(allowed)
                .pool(gpuPool("eu-west", "gpu-core", 1, 90), gpuPool("us-east", "gpu-core", 100, 0))
                .latency("eu-west", 5).latency("us-east", 80)
                .build(), NOW);

        // eu-west 1 / (5 · 1.9) = 0.105263…, us-east 100 / (80 · 1) = 1.25
        double west = 1 / 9.5;
        assertThat(regionWeight(gpuTable(open), "us-east")).isCloseTo(1.25 / (1.25 + west), within(EXACT));
        assertThat(open.excluded()).isEmpty();
    }

    @Test
    void unknownClientRegionFailsClosedForEveryTier() {
        RoutingTargets targets = calculator.compute(inputs("mars-north")
                .pool(gpuPool("eu-west", "gpu-core", 4, 0))
                .latency("eu-west", 3)
                .build(), NOW);

        assertThat(targets.tiers()).hasSize(Tier.values().length).allSatisfy(table -> {
            assertThat(table.regions()).isEmpty();
            assertThat(table.nodes()).isEmpty();
            assertThat(table.noneEligibleReason()).contains("client region mars-north is not in the registry");
        });
        assertThat(targets.excluded()).extracting(Exclusion::target, Exclusion::reason)
                .containsExactly(tuple("mars-north", ExclusionReason.UNKNOWN_REGION));
        assertValid(targets);
    }

    @Test
    void clientInAZoneThisBuildDoesNotKnowFailsClosed() {
        Residency residency = new Residency(Map.of("eu-west", "EU", "lunar-1", "MOON"), Set.of("EU"),
                Map.of("lunar-1", Set.of("eu-west")));
        RoutingTargets targets = calculator.compute(inputs("lunar-1").residency(residency)
                .pool(gpuPool("eu-west", "gpu-core", 4, 0))
                .latency("eu-west", 3)
                .build(), NOW);

        // even its allow-list entry does not open anything
        assertThat(gpuTable(targets).regions()).isEmpty();
        assertThat(targets.excluded()).extracting(Exclusion::target, Exclusion::reason)
                .containsExactly(tuple("lunar-1", ExclusionReason.UNKNOWN_ZONE));
    }

    @Test
    void servingRegionUnknownOrInAnUnknownZoneServesNobodyEvenWhenAllowListed() {
        Residency residency = new Residency(Map.of("eu-west", "EU", "lunar-1", "MOON"), Set.of("EU"),
                Map.of("eu-west", Set.of("lunar-1", "ghost-1")));
        RoutingTargets targets = calculator.compute(inputs("eu-west").residency(residency)
                .pool(gpuPool("eu-west", "gpu-core", 1, 0), gpuPool("lunar-1", "gpu-core", 9, 0),
                        gpuPool("ghost-1", "gpu-core", 9, 0))
                .latency("eu-west", 3).latency("lunar-1", 3).latency("ghost-1", 3)
                .build(), NOW);

        assertThat(gpuTable(targets).regions()).extracting(RegionWeight::region).containsExactly("eu-west");
        assertThat(targets.excluded()).extracting(Exclusion::target, Exclusion::reason).containsExactly(
                tuple("ghost-1", ExclusionReason.UNKNOWN_REGION),
                tuple("lunar-1", ExclusionReason.UNKNOWN_ZONE));
    }

    @Test
    void nothingEligibleIsPublishedAsAnEmptyTableWithTheReasons() {
        RoutingTargets targets = calculator.compute(inputs("ap-southeast")
                .pool(pool("ap-southeast", "gpu-core", Tier.CORE_GPU, 0, 4, 99, 10, RECENT),
                        gpuPool("us-west", "gpu-core", 9, 0))
                .latency("ap-southeast", 2).latency("us-west", 90)
                .build(), NOW);

        // a one-region zone has no failover, by design: no fallback to us-west
        TierTable table = gpuTable(targets);
        assertThat(table.regions()).isEmpty();
        assertThat(table.noneEligibleReason())
                .isEqualTo("no region eligible for CORE_GPU: ap-southeast SATURATED, us-west OUTSIDE_RESIDENCY");
        assertValid(targets);
    }

    @Test
    void newestRecordPerKeyWinsWhateverTheOrder() {
        RoutingInputs inputs = inputs("eu-west").home("eu-west")
                .pool(gpuPool("eu-west", "gpu-core", 3, 0),
                        pool("eu-west", "gpu-core", Tier.CORE_GPU, 30, 0, 0, 0, RECENT.minusSeconds(10)),
                        gpuPool("eu-central", "gpu-core", 3, 0))
                .node(gpuNode("n1", "eu-west", 0), node("n1", "eu-west", Tier.CORE_GPU, 90, 0, RECENT.minusSeconds(10)))
                .latency("eu-west", 2).latency("eu-central", 4)
                .latency(new dev.meridian.contracts.metrics.LatencyProbe("eu-west", "eu-central", 400,
                        NOW.minusSeconds(600), "test"))
                .build();
        RoutingInputs reversed = new RoutingInputs(inputs.clientRegion(), inputs.homeRegions(), inputs.residency(),
                reverse(inputs.pools()), reverse(inputs.nodes()), reverse(inputs.inventory()),
                reverse(inputs.latencies()), inputs.draining(), inputs.interrupted());

        RoutingTargets targets = calculator.compute(inputs, NOW);

        // newest only: eu-west 3 / (2 · 1) = 1.5, eu-central 3 / (4 · 1) = 0.75 → 2/3 and 1/3
        assertThat(regionWeight(gpuTable(targets), "eu-west")).isCloseTo(2.0 / 3, within(EXACT));
        assertThat(gpuTable(targets).nodes().get(0).load()).isEqualTo(0.0);
        assertThat(calculator.compute(reversed, NOW)).isEqualTo(targets);
    }

    private static <T> List<T> reverse(List<T> values) {
        List<T> copy = new ArrayList<>(values);
        Collections.reverse(copy);
        return copy;
    }
}
