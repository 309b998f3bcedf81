package dev.meridian.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.mirror.MultiRegionKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./meridian sandbox --multi-region} with the packaged services (metrics-ingest and scheduler per region, to
 * keep six JVMs instead of twelve on two cores): the same services that run on one cluster route on three, reading
 * the other regions' pool windows and the registry through MirrorMaker's copies, and react to a real partition.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiRegionSandboxIT {

    private static final String US_EAST = "us-east";
    private static final String EU_WEST = "eu-west";
    private static final String EU_CENTRAL = "eu-central";

    private static MultiRegionSandbox sandbox;
    private static final Map<String, TopicTail<RoutingWeights>> weights = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent().getParent();
        int ports = MultiRegionSandbox.PORTS_PER_REGION * MultiRegionSandbox.REGIONS.size();
        sandbox = MultiRegionSandbox.start(new MultiRegionSandbox.Options(Path.of("target", "multi-region-sandbox"),
                repository, FreePorts.range(ports), List.of("metrics-ingest", "scheduler"), Duration.ofSeconds(240)),
                Sandbox.Steps.SILENT);
        for (String region : MultiRegionSandbox.REGIONS) {
            weights.put(region, new TopicTail<>(sandbox.kafka().cluster(region).bootstrapServers(),
                    TopicCatalog.ROUTING_WEIGHTS, ContractSerdes.routingWeights().deserializer(), 0));
        }
    }

    @AfterAll
    static void stop() {
        weights.values().forEach(TopicTail::close);
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void eachRegionsSchedulerRoutesItsClientsToItsZoneOnlyWithTheOtherRegionsWindowsFromTheMirror() {
        for (String client : MultiRegionSandbox.REGIONS) {
            // The registry says who may serve whom; only regions with a cluster here report pools.
            Set<String> zone = sandbox.fleet().current().servingRegions(client).stream()
                    .filter(MultiRegionSandbox.REGIONS::contains).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(gpuRegions(client)).as("GPU regions serving %s clients", client)
                            .containsExactlyInAnyOrderElementsOf(zone));
        }
        assertThat(sandbox.fleet().current().zoneOf(EU_WEST)).isEqualTo(sandbox.fleet().current().zoneOf(EU_CENTRAL))
                .isNotEqualTo(sandbox.fleet().current().zoneOf(US_EAST));
        assertThat(sandbox.services()).allMatch(ServiceProcess::isAlive);
    }

    @Test
    @Order(2)
    void onlyTheCrossRegionSetIsCopiedBetweenClusters() throws Exception {
        for (String region : MultiRegionSandbox.REGIONS) {
            try (Admin admin = sandbox.kafka().cluster(region).admin()) {
                // MirrorMaker's own topics (heartbeats, checkpoints) aside: copies of Meridian's topics.
                Set<String> copied = admin.listTopics().names().get().stream()
                        .filter(name -> MultiRegionSandbox.REGIONS.stream()
                                .anyMatch(r -> name.startsWith(r + ".meridian.")))
                        .map(name -> name.substring(name.indexOf('.') + 1))
                        .collect(Collectors.toSet());
                assertThat(copied).as("topics copied into %s", region).isNotEmpty()
                        .isSubsetOf(MultiRegionKafka.crossRegionTopics())
                        .doesNotContain(TopicCatalog.METRICS_RAW, TopicCatalog.METRICS_NODE,
                                TopicCatalog.UTILIZATION_NODE, TopicCatalog.AUDIT_LOG);
            }
        }
    }

    @Test
    @Order(3)
    void aCutRegionLeavesItsNeighboursWeightsAndComesBackWhenRestored() {
        sandbox.cut(EU_WEST);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(gpuRegions(EU_CENTRAL)).containsExactly(EU_CENTRAL));
        // eu-west's own copy keeps routing its clients, to itself: it no longer hears from eu-central either.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(gpuRegions(EU_WEST)).containsExactly(EU_WEST));

        sandbox.restore(EU_WEST);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(gpuRegions(EU_CENTRAL)).containsExactlyInAnyOrder(EU_CENTRAL, EU_WEST));
        assertThat(sandbox.services()).allMatch(ServiceProcess::isAlive);
    }

    /** The regions with GPU weight in the newest weights {@code client}'s own scheduler published. */
    private static Set<String> gpuRegions(String client) {
        TopicTail<RoutingWeights> tail = weights.get(client);
        tail.poll(Duration.ofMillis(200));
        RoutingWeights newest = tail.latest().get(client);
        return newest == null ? Set.of() : MultiRegionView.gpuRegions(newest);
    }
}
