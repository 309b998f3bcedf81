package dev.meridian.scheduler.messaging;

import static dev.meridian.scheduler.Fleet.drain;
import static dev.meridian.scheduler.Fleet.inventory;
import static dev.meridian.scheduler.Fleet.latency;
import static dev.meridian.scheduler.Fleet.node;
import static dev.meridian.scheduler.Fleet.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.scheduler.Broker;
import dev.meridian.scheduler.config.SchedulerConfig;
import dev.meridian.scheduler.metrics.MicrometerSchedulerMetrics;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.scheduler.routing.RouteTables;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The routing loop as deployed, on a real broker but without Quarkus, so that the test decides what is on the topics
 * before an instance starts, and can run two instances at once: when the first version goes out, what a failed
 * write does, and fencing. Each test has regions of its own; every instance decides for all of them, but a test
 * only looks at its own client region.
 */
class PublishingIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    private final List<DecisionLoop> instances = new ArrayList<>();
    private Broker broker;

    @BeforeEach
    void broker() {
        broker = new Broker(KAFKA.bootstrapServers());
    }

    @AfterEach
    void stop() {
        instances.forEach(DecisionLoop::stop);
        broker.close();
    }

    @Test
    void theFirstVersionWaitsUntilTheInputsAreReadToWhereTheyEnded() {
        broker.region("gate-west", "EU");
        broker.region("gate-central", "EU");
        // 3,000 probes ahead of the ones that matter, ~1,000 per latency partition: a poll returns at most 500
        // records, so a decision after the first poll would miss gate-central's latency and exclude it.
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < 3000; i++) {
                producer.send(new ProducerRecord<>(TopicCatalog.LATENCY, "filler-" + i + "/gate-west",
                        ContractJson.write(latency("filler-" + i, "gate-west", 5, now))));
            }
        }
        seed("gate-west", "gate-central", "gate-n1", "gate-n2");

        DecisionLoop scheduler = start("gate-west", new SimpleMeterRegistry(), new RouteTables());

        try (Broker.WeightsReader weights = broker.weights()) {
            RoutingWeights first = await().atMost(Duration.ofSeconds(60))
                    .until(() -> weights.poll().versions("gate-west"), v -> !v.isEmpty()).get(0);
            assertThat(scheduler.isInputsCaughtUp()).isTrue();
            assertThat(regionWeight(first, "gate-central")).as("its latency probe was read before deciding")
                    .hasValueSatisfying(w -> assertThat(w).isPositive());
            assertThat(first.excluded()).noneMatch(e -> e.target().startsWith("gate-"));
            assertThat(nodeWeight(first, "gate-n1")).hasValueSatisfying(w -> assertThat(w).isPositive());
            assertThat(nodeWeight(first, "gate-n2")).hasValueSatisfying(w -> assertThat(w).isPositive());
        }
    }

    @Test
    void aVersionThatCannotBeWrittenIsCountedAsFailedNotServedAndRetriedWithItsNumber() throws Exception {
        seed("fail-west", "fail-central", "fail-n1", "fail-n2");
        MeterRegistry meters = new SimpleMeterRegistry();
        RouteTables tables = new RouteTables();
        start("fail-west", meters, tables);

        try (Broker.WeightsReader weights = broker.weights()) {
            RoutingWeights before = await().atMost(Duration.ofSeconds(60)).until(
                    () -> weights.poll().latest("fail-west"),
                    w -> w.isPresent() && bothNodesWeighted(w.get(), "fail-n1", "fail-n2")).orElseThrow();
            await().until(() -> tables.table("fail-west").map(t -> t.weights().version()).orElse(-1L),
                    v -> v == before.version());
            double published = count(meters, "meridian.scheduler.weights.published");

            // The broker now refuses every weights record: each round's transaction fails.
            maxMessageBytes("200");
            try {
                broker.send(drain("fail-west", "gpu", "fail-n1", Instant.now()), "fail-west/gpu");
                // The drain bypasses damping: the first attempt and at least one retry, a tick later, both fail.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> count(meters, "meridian.scheduler.weights.failed") >= 2);
                assertThat(count(meters, "meridian.scheduler.weights.published")).isEqualTo(published);
                assertThat(tables.table("fail-west")).get().extracting(RouteTable::weights)
                        .extracting(RoutingWeights::version).as("not written, not served").isEqualTo(before.version());
                assertThat(weights.pollToEnd().latest("fail-west")).contains(before);
            } finally {
                maxMessageBytes(null);
            }

            RoutingWeights drained = await().atMost(Duration.ofSeconds(30)).until(
                    () -> weights.poll().latest("fail-west"), w -> w.orElseThrow().version() > before.version())
                    .orElseThrow();
            assertThat(drained.version()).as("the failed number, retried: no gap").isEqualTo(before.version() + 1);
            assertThat(drained.excluded()).contains(new Exclusion(ExclusionScope.NODE, "fail-n1", Tier.CORE_GPU,
                    ExclusionReason.DRAINING, "drain command"));
            await().until(() -> count(meters, "meridian.scheduler.weights.published") > published);
            await().until(() -> tables.table("fail-west").map(t -> t.weights().version()).orElse(-1L),
                    v -> v == drained.version());
        }
    }

    @Test
    void aSecondInstanceForTheSameHomeRegionFencesTheFirst() {
        seed("fence-west", "fence-central", "fence-n1", "fence-n2");
        DecisionLoop first = start("fence-west", new SimpleMeterRegistry(), new RouteTables());

        try (Broker.WeightsReader weights = broker.weights()) {
            RoutingWeights before = await().atMost(Duration.ofSeconds(60)).until(
                    () -> weights.poll().latest("fence-west"),
                    w -> w.isPresent() && bothNodesWeighted(w.get(), "fence-n1", "fence-n2")).orElseThrow();
            await().atMost(Duration.ofSeconds(30)).until(first::isReady);

            DecisionLoop second = start("fence-west", new SimpleMeterRegistry(), new RouteTables());
            await().atMost(Duration.ofSeconds(60)).until(second::isReady);
            // Both decide on this; only one may publish the next version.
            broker.send(drain("fence-west", "gpu", "fence-n1", Instant.now()), "fence-west/gpu");

            await().atMost(Duration.ofSeconds(30)).until(first::isFenced);
            assertThat(first.isReady()).isFalse();
            assertThat(second.isReady()).isTrue();
            List<Long> after = await().atMost(Duration.ofSeconds(30)).until(
                    () -> weights.pollToEnd().versions("fence-west").stream().map(RoutingWeights::version)
                            .filter(v -> v > before.version()).toList(), v -> !v.isEmpty());
            assertThat(weights.pollToEnd().versions("fence-west")).filteredOn(w -> w.version() > before.version())
                    .as("written once, by the second instance: the first's attempt was aborted")
                    .singleElement().satisfies(w -> {
                        assertThat(w.version()).isEqualTo(before.version() + 1);
                        assertThat(nodeWeight(w, "fence-n1")).isEmpty();
                    });
            assertThat(after).containsExactly(before.version() + 1);
        }
    }

    @Test
    void aSecondPublisherWithTheSameTransactionalIdFencesTheFirst() {
        String id = WeightsPublisher.transactionalId(Set.of("pub-west", "pub-east"));
        assertThat(id).isEqualTo("meridian-scheduler-pub-east,pub-west");
        Instant at = Instant.parse("2026-11-27T12:00:00Z");

        try (Broker.WeightsReader weights = broker.weights();
                WeightsPublisher first = new WeightsPublisher(KafkaClientSettings.plaintext(KAFKA.bootstrapServers()), "/first", id)) {
            first.publish(List.of(new RoutingWeights("pub-client", 1, at, false, List.of(), List.of())));
            try (WeightsPublisher second = new WeightsPublisher(KafkaClientSettings.plaintext(KAFKA.bootstrapServers()), "/second", id)) {
                assertThatThrownBy(() -> first.publish(List.of(
                        new RoutingWeights("pub-client", 2, at.plusSeconds(1), false, List.of(), List.of()))))
                        .isInstanceOf(WeightsPublisher.FencedException.class);
                second.publish(List.of(
                        new RoutingWeights("pub-client", 2, at.plusSeconds(2), false, List.of(), List.of())));
            }

            weights.pollToEnd();
            assertThat(weights.records()).filteredOn(r -> "pub-client".equals(r.key()))
                    .extracting(r -> CloudEventHeaders.read(r.headers()).orElseThrow().source())
                    .containsExactly("/first", "/second");
            assertThat(weights.versions("pub-client")).extracting(RoutingWeights::version, RoutingWeights::computedAt)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, at),
                            org.assertj.core.groups.Tuple.tuple(2L, at.plusSeconds(2)));
        }
    }

    /** Two EU regions with fresh pools and probes, and two nodes in the home region. */
    private void seed(String home, String other, String nodeA, String nodeB) {
        broker.region(home, "EU");
        broker.region(other, "EU");
        Instant now = Instant.now();
        broker.send(latency(home, home, 2, now), home + "/" + home);
        broker.send(latency(home, other, 20, now), home + "/" + other);
        broker.send(pool(home, "gpu", 2, 50, now), home + "/gpu");
        broker.send(pool(other, "gpu", 4, 30, now), other + "/gpu");
        for (String n : List.of(nodeA, nodeB)) {
            broker.send(node(n, home, "gpu", 40, now), n);
            broker.send(inventory(n, home, "gpu", NodeState.JOINED, now), n);
        }
    }

    private DecisionLoop start(String homeRegion, MeterRegistry meters, RouteTables tables) {
        // What application.properties' %test profile says, without Quarkus: nothing but the test's own input makes
        // a new version.
        SchedulerConfig config = new SmallRyeConfigBuilder().withMapping(SchedulerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(
                        "meridian.scheduler.home-regions", homeRegion,
                        "meridian.scheduler.topic-discovery", "1s",
                        "meridian.scheduler.routing.interval", "10m",
                        "meridian.scheduler.routing.heartbeat", "10m",
                        "meridian.scheduler.routing.staleness-timeout", "10m"), "PublishingIT", 500))
                .build().getConfigMapping(SchedulerConfig.class);
        DecisionLoop instance = new DecisionLoop(config, KAFKA.bootstrapServers(), tables,
                new MicrometerSchedulerMetrics(meters));
        instance.start();
        instances.add(instance);
        return instance;
    }

    private static void maxMessageBytes(String value) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.ROUTING_WEIGHTS);
        AlterConfigOp op = value == null
                ? new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry("max.message.bytes", value), AlterConfigOp.OpType.SET);
        try (Admin admin = KAFKA.cluster().admin()) {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
        }
    }

    private static double count(MeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static boolean bothNodesWeighted(RoutingWeights weights, String a, String b) {
        return nodeWeight(weights, a).filter(w -> w > 0).isPresent()
                && nodeWeight(weights, b).filter(w -> w > 0).isPresent();
    }

    private static Optional<Double> regionWeight(RoutingWeights weights, String region) {
        return weights.table(Tier.CORE_GPU).flatMap(t -> t.regions().stream()
                .filter(r -> r.region().equals(region)).map(RegionWeight::weight).findFirst());
    }

    private static Optional<Double> nodeWeight(RoutingWeights weights, String node) {
        return weights.table(Tier.CORE_GPU).flatMap(t -> t.nodes().stream()
                .filter(n -> n.nodeId().equals(node)).map(NodeWeight::weight).findFirst());
    }
}
