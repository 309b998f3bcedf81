package dev.meridian.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.service.security.Caller;
import dev.meridian.testkit.security.VerifiedTokens;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scheduler serving two home regions weighs the nodes of both in one client region's table: a viewer of one sees
 * the other region's share, never its node ids.
 */
class VisibleWeightsTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private static final RoutingWeights WEIGHTS = new RoutingWeights("eu-west", 9, T0, false, List.of(new TierTable(
            Tier.CORE_GPU,
            List.of(new RegionWeight("eu-west", 0.6, 1, 40, 2), new RegionWeight("eu-central", 0.4, 1, 30, 20)),
            List.of(new NodeWeight("west-1", "eu-west", "gpu", 1.0, 40), new NodeWeight("central-1", "eu-central",
                    "gpu", 1.0, 30)),
            null)), List.of(
            new Exclusion(ExclusionScope.NODE, "west-2", Tier.CORE_GPU, ExclusionReason.DRAINING, "drain"),
            new Exclusion(ExclusionScope.NODE, "central-1", Tier.CORE_GPU, ExclusionReason.STALE, "old"),
            new Exclusion(ExclusionScope.REGION, "us-east", Tier.CORE_GPU, ExclusionReason.OUTSIDE_RESIDENCY,
                    "US")));

    @Test
    void aViewerOfOneRegionKeepsEveryRegionsShareButOnlyItsOwnNodes() {
        RoutingWeights seen = VisibleWeights.of(WEIGHTS, caller(List.of("eu-west")));

        TierTable table = seen.tiers().get(0);
        assertThat(table.regions()).isEqualTo(WEIGHTS.tiers().get(0).regions());
        assertThat(table.nodes()).extracting(NodeWeight::nodeId).containsExactly("west-1");
        // central-1 is eu-central's; west-2 is no longer weighted, so its region is unknown here: neither is named.
        assertThat(seen.excluded()).extracting(Exclusion::target).containsExactly("us-east");
        assertThat(seen.version()).isEqualTo(WEIGHTS.version());
    }

    @Test
    void aCallerOfEveryRegionSeesTheWeightsAsPublished() {
        assertThat(VisibleWeights.of(WEIGHTS, caller(List.of("*")))).isSameAs(WEIGHTS);
    }

    @Test
    void aRouteIntoARegionOutsideTheTokenNamesTheRegionNotTheNode() {
        RouteTable.Route intoCentral = new RouteTable.Route("eu-central", 0.4, "central-1", 1.0, 9);
        RouteTable.Route intoWest = new RouteTable.Route("eu-west", 0.6, "west-1", 1.0, 9);
        Caller westOnly = caller(List.of("eu-west"));

        assertThat(VisibleWeights.of(intoCentral, westOnly))
                .isEqualTo(new RouteTable.Route("eu-central", 0.4, null, null, 9));
        assertThat(VisibleWeights.of(intoWest, westOnly)).isEqualTo(intoWest);
    }

    private static Caller caller(Object regions) {
        return new Caller(VerifiedTokens.withRegions("viewer", regions));
    }
}
