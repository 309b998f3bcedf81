package dev.meridian.scheduler.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void picksRegionsByWeightAndNodesOnlyInsideTheHomeRegion() {
        RouteTable table = RouteTable.of(new RoutingWeights("eu-west", 7, T0, false, List.of(new TierTable(
                Tier.CORE_GPU,
                List.of(new RegionWeight("eu-west", 0.75, 2, 40, 2), new RegionWeight("eu-central", 0.25, 4, 30, 20)),
                List.of(new NodeWeight("n1", "eu-west", "gpu", 0.6, 30), new NodeWeight("n2", "eu-west", "gpu", 0.0, 50),
                        new NodeWeight("n3", "eu-west", "gpu", 0.4, 60)),
                null)), List.of()));
        SplittableRandom random = new SplittableRandom(42);
        Map<String, Integer> counts = new HashMap<>();
        int draws = 100_000;

        for (int i = 0; i < draws; i++) {
            RouteTable.Route route = ((RouteTable.Picked) table.pick(Tier.CORE_GPU, random)).route();
            assertThat(route.version()).isEqualTo(7);
            if (route.region().equals("eu-central")) {
                assertThat(route.node()).as("no node weights outside the home region").isNull();
            }
            counts.merge(route.region() + "/" + route.node(), 1, Integer::sum);
        }

        // Expected shares: eu-central 0.25; n1 0.75·0.6 = 0.45; n3 0.75·0.4 = 0.30; n2 (weight 0) never.
        assertThat(counts).doesNotContainKey("eu-west/n2");
        assertThat(counts.get("eu-central/null") / (double) draws).isCloseTo(0.25, within());
        assertThat(counts.get("eu-west/n1") / (double) draws).isCloseTo(0.45, within());
        assertThat(counts.get("eu-west/n3") / (double) draws).isCloseTo(0.30, within());
    }

    @Test
    void refusesWithThePublishedReasonWhenNothingIsEligible() {
        RouteTable table = RouteTable.of(new RoutingWeights("ap-south", 3, T0, false, List.of(new TierTable(
                Tier.CORE_GPU, List.of(), List.of(), "no region eligible for CORE_GPU: ap-south MISSING_LATENCY")),
                List.of()));

        RouteTable.Pick core = table.pick(Tier.CORE_GPU, new SplittableRandom(1));
        RouteTable.Pick edge = table.pick(Tier.EDGE_CPU, new SplittableRandom(1));

        assertThat(core).isInstanceOfSatisfying(RouteTable.Refused.class,
                r -> assertThat(r.none().reason()).contains("MISSING_LATENCY"));
        assertThat(edge).isInstanceOfSatisfying(RouteTable.Refused.class,
                r -> assertThat(r.none().reason()).contains("no EDGE_CPU table"));
    }

    private static org.assertj.core.data.Offset<Double> within() {
        // 5 standard deviations of a share near 0.5 over 10^5 draws: √(0.25/10^5) ≈ 0.0016.
        return org.assertj.core.data.Offset.offset(0.008);
    }
}
