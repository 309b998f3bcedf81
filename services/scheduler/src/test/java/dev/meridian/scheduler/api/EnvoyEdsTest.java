package dev.meridian.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvoyEdsTest {

    @Test
    void oneLocalityPerWeightedRegionWithHomeNodesOrTheRegionGateway() {
        RoutingWeights weights = new RoutingWeights("eu-west", 5, Instant.parse("2026-11-27T12:00:00Z"), false,
                List.of(new TierTable(Tier.CORE_GPU,
                        List.of(new RegionWeight("eu-central", 0.25, 4, 30, 20),
                                new RegionWeight("eu-west", 0.75, 2, 40, 2),
                                new RegionWeight("eu-north", 0.0, 1, 30, 15)),
                        List.of(new NodeWeight("n1", "eu-west", "gpu", 0.6, 30),
                                new NodeWeight("n2", "eu-west", "gpu", 0.0, 50),
                                new NodeWeight("n3", "eu-west", "gpu", 0.4, 60)),
                        null)),
                List.of());

        EnvoyEds.ClusterLoadAssignment assignment = EnvoyEds.assignment(
                EnvoyEds.ClusterName.parse("eu-west/CORE_GPU").orElseThrow(), weights, "gw.%s.internal", 8080);

        assertThat(assignment.clusterName()).isEqualTo("eu-west/CORE_GPU");
        assertThat(assignment.endpoints()).extracting(l -> l.locality().region(), EnvoyEds.LocalityLbEndpoints::weight)
                .as("zero-weight eu-north is left out: Envoy weights must be positive")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eu-central", 250_000),
                        org.assertj.core.groups.Tuple.tuple("eu-west", 750_000));
        assertThat(assignment.endpoints().get(0).lbEndpoints()).singleElement()
                .satisfies(e -> assertThat(e.endpoint().address().socketAddress().address())
                        .isEqualTo("gw.eu-central.internal"));
        assertThat(assignment.endpoints().get(1).lbEndpoints())
                .extracting(e -> e.endpoint().address().socketAddress().address(), EnvoyEds.LbEndpoint::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("n1", 600_000),
                        org.assertj.core.groups.Tuple.tuple("n3", 400_000));
    }

    @Test
    void clusterNamesThatAreNotOursParseToNothing() {
        assertThat(EnvoyEds.ClusterName.parse("eu-west/GPU")).isEmpty();
        assertThat(EnvoyEds.ClusterName.parse("eu-west")).isEmpty();
        assertThat(EnvoyEds.ClusterName.parse(null)).isEmpty();
    }
}
