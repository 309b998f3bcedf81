package dev.meridian.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
                EnvoyEds.ClusterName.parse("eu-west/CORE_GPU").orElseThrow(), weights,
                new EndpointAddresses("{node}.{region}.internal", "gw.%s.internal", HostResolver.asIs()), 8080);

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
                .containsExactly(org.assertj.core.groups.Tuple.tuple("n1.eu-west.internal", 600_000),
                        org.assertj.core.groups.Tuple.tuple("n3.eu-west.internal", 400_000));
    }

    @Test
    void endpointsAreTheResolvedAddressesAndWhatDoesNotResolveIsLeftOut() {
        RoutingWeights weights = new RoutingWeights("eu-west", 6, Instant.parse("2026-11-27T12:00:00Z"), false,
                List.of(new TierTable(Tier.CORE_GPU,
                        List.of(new RegionWeight("eu-central", 0.2, 4, 30, 20),
                                new RegionWeight("eu-north", 0.3, 3, 30, 15),
                                new RegionWeight("eu-west", 0.5, 2, 40, 2)),
                        List.of(new NodeWeight("n1", "eu-west", "gpu", 0.7, 30),
                                new NodeWeight("n2", "eu-west", "gpu", 0.3, 50)),
                        null)),
                List.of());
        // n2's host and eu-north's gateway are not in DNS.
        Map<String, String> dns = Map.of("n1.eu-west.svc", "10.0.1.7", "gw.eu-central", "10.9.0.1");

        EnvoyEds.ClusterLoadAssignment assignment = EnvoyEds.assignment(
                EnvoyEds.ClusterName.parse("eu-west/CORE_GPU").orElseThrow(), weights,
                new EndpointAddresses("{node}.{region}.svc", "gw.%s", host -> Optional.ofNullable(dns.get(host))),
                9000);

        assertThat(assignment.endpoints()).extracting(l -> l.locality().region())
                .as("eu-north has no address at all: left out rather than sent as a name Envoy would reject")
                .containsExactly("eu-central", "eu-west");
        assertThat(assignment.endpoints()).flatExtracting(EnvoyEds.LocalityLbEndpoints::lbEndpoints)
                .extracting(e -> e.endpoint().address().socketAddress().address(),
                        e -> e.endpoint().address().socketAddress().portValue(), EnvoyEds.LbEndpoint::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.9.0.1", 9000, 1),
                        org.assertj.core.groups.Tuple.tuple("10.0.1.7", 9000, 700_000));
    }

    @Test
    void aHomeRegionWhoseNodesDoNotResolveFallsBackToItsGateway() {
        RoutingWeights weights = new RoutingWeights("eu-west", 6, Instant.parse("2026-11-27T12:00:00Z"), false,
                List.of(new TierTable(Tier.CORE_GPU, List.of(new RegionWeight("eu-west", 1.0, 1, 40, 2)),
                        List.of(new NodeWeight("n1", "eu-west", "gpu", 1.0, 30)), null)),
                List.of());

        EnvoyEds.ClusterLoadAssignment assignment = EnvoyEds.assignment(
                EnvoyEds.ClusterName.parse("eu-west/CORE_GPU").orElseThrow(), weights,
                new EndpointAddresses("{node}.{region}.svc", "gw.%s",
                        host -> host.equals("gw.eu-west") ? Optional.of("10.9.0.2") : Optional.empty()), 8080);

        assertThat(assignment.endpoints()).singleElement().satisfies(l -> assertThat(l.lbEndpoints())
                .extracting(e -> e.endpoint().address().socketAddress().address()).containsExactly("10.9.0.2"));
    }

    @Test
    void theDnsResolverAnswersIpAddresses() {
        HostResolver dns = HostResolver.dns();

        assertThat(dns.address("10.1.2.3")).as("a literal needs no look-up").contains("10.1.2.3");
        assertThat(dns.address("localhost")).hasValueSatisfying(ip ->
                assertThat(ip).as("a loopback IP literal").matches("127\\.\\d+\\.\\d+\\.\\d+|0:0:0:0:0:0:0:1|::1"));
    }

    @Test
    void clusterNamesThatAreNotOursParseToNothing() {
        assertThat(EnvoyEds.ClusterName.parse("eu-west/GPU")).isEmpty();
        assertThat(EnvoyEds.ClusterName.parse("eu-west")).isEmpty();
        assertThat(EnvoyEds.ClusterName.parse(null)).isEmpty();
    }
}
