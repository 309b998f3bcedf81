package dev.meridian.scheduler.messaging;

import static dev.meridian.scheduler.Fleet.drain;
import static dev.meridian.scheduler.Fleet.inventory;
import static dev.meridian.scheduler.Fleet.latency;
import static dev.meridian.scheduler.Fleet.node;
import static dev.meridian.scheduler.Fleet.nodeAction;
import static dev.meridian.scheduler.Fleet.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.scheduler.Broker;
import dev.meridian.testkit.kafka.AclProbe;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inputs on a real broker → weights versions on the compacted topic. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class,
        initArgs = {@ResourceArg(name = KafkaTestResource.KAFKA_USER_ARG, value = "meridian-scheduler"),
                @ResourceArg(name = KafkaTestResource.PEERS_ARG, value = "north")})
class RoutingWeightsIT {

    /** The service's own login ({@code meridian-scheduler}), as its hand-built clients use it. */
    @Inject
    KafkaClientSettings serviceLogin;

    @Test
    void itsLoginIsRefusedWhatOtherServicesDo() {
        Map<String, Object> login = serviceLogin.connection();
        assertThat(login).containsEntry("security.protocol", "SASL_SSL");

        // Least privilege, and the probe itself sound: what it must do is allowed.
        assertThat(AclProbe.surprises(login,
                List.of(TopicCatalog.SCALING_COMMANDS, TopicCatalog.UTILIZATION_POOL),
                List.of(TopicCatalog.AUDIT_LOG, TopicCatalog.METRICS_RAW), TopicCatalog.UTILIZATION_POOL)).isEmpty();
    }

    /** Where MirrorMaker would copy eu-north's pool aggregates ({@code <source alias>.<topic>}). */
    private static final String MIRRORED_POOLS = "north." + TopicCatalog.UTILIZATION_POOL;

    @ConfigProperty(name = KafkaTestResource.TEST_CLIENTS_BOOTSTRAP)
    String bootstrap;

    private Broker broker;

    @BeforeEach
    void registryAndReadiness() {
        broker = new Broker(bootstrap);
        broker.region("eu-west", "EU");
        broker.region("eu-central", "EU");
        broker.region("us-east", "US");
        broker.region("ap-south", "APAC");
        broker.region("eu-north", "EU");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void utilizationAndLatencyBecomeWeightsAndDrainedOrStaleNodesDropToZeroInTheNextVersion() throws Exception {
        String a = "it-a-" + UUID.randomUUID().toString().substring(0, 8);
        String b = "it-b-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(MIRRORED_POOLS, 1, (short) 1))).all().get();
        }
        broker.send(latency("eu-west", "eu-west", 2, now), "eu-west/eu-west");
        broker.send(latency("eu-west", "eu-central", 20, now), "eu-west/eu-central");
        broker.send(latency("eu-west", "us-east", 80, now), "eu-west/us-east");
        broker.send(pool("eu-west", "gpu", 2, 50, now), "eu-west/gpu");
        broker.send(latency("eu-west", "eu-north", 15, now), "eu-west/eu-north");
        broker.send(pool("eu-central", "gpu", 4, 30, now), "eu-central/gpu");
        broker.send(MIRRORED_POOLS, "eu-north/gpu", pool("eu-north", "gpu", 3, 30, now));
        broker.send(pool("us-east", "gpu", 8, 10, now), "us-east/gpu");
        broker.send(node(a, "eu-west", "gpu", 40, now), a);
        broker.send(node(b, "eu-west", "gpu", 60, now), b);
        broker.send(inventory(a, "eu-west", "gpu", NodeState.JOINED, now), a);
        broker.send(inventory(b, "eu-west", "gpu", NodeState.JOINED, now), b);

        try (Broker.WeightsReader weights = broker.weights()) {
            RoutingWeights before = await().atMost(Duration.ofSeconds(30)).until(
                    () -> weights.poll().latest("eu-west"),
                    w -> w.isPresent() && reflectsEverything(w.get(), a, b)).orElseThrow();

            TierTable core = before.table(Tier.CORE_GPU).orElseThrow();
            assertThat(core.regions()).filteredOn(r -> r.region().equals("eu-north")).singleElement()
                    .satisfies(r -> {
                        assertThat(r.eligibleNodes()).as("from the mirrored pool aggregate").isEqualTo(3);
                        assertThat(r.latencyMs()).isEqualTo(15);
                    });
            assertThat(before.excluded()).anySatisfy(e -> {
                assertThat(e.target()).isEqualTo("us-east");
                assertThat(e.reason()).isEqualTo(ExclusionReason.OUTSIDE_RESIDENCY);
            });
            ConsumerRecord<String, byte[]> record = weights.records().get(weights.records().size() - 1);
            CloudEventAttributes ce = CloudEventHeaders.read(record.headers()).orElseThrow();
            assertThat(ce.type()).isEqualTo(ContractType.ROUTING_WEIGHTS.ceType());
            assertThat(ce.subject()).isEqualTo(record.key());

            broker.send(drain("eu-west", "gpu", a, Instant.now()), "eu-west/gpu");
            RoutingWeights drained = nextVersion(weights, before);
            assertThat(drained.version()).isEqualTo(before.version() + 1);
            assertThat(nodeWeight(drained, a)).isEmpty();
            assertThat(nodeWeight(drained, b)).hasValueSatisfying(w -> assertThat(w).isPositive());
            assertThat(drained.excluded()).contains(new Exclusion(
                    dev.meridian.contracts.routing.ExclusionScope.NODE, a, Tier.CORE_GPU, ExclusionReason.DRAINING,
                    "drain command"));

            broker.send(inventory(b, "eu-west", "gpu", NodeState.STALE, Instant.now()), b);
            RoutingWeights stale = nextVersion(weights, drained);
            assertThat(stale.version()).isEqualTo(drained.version() + 1);
            assertThat(nodeWeight(stale, b)).isEmpty();
            assertThat(stale.excluded()).anySatisfy(e -> {
                assertThat(e.target()).isEqualTo(b);
                assertThat(e.reason()).isEqualTo(ExclusionReason.STALE);
            });
        }
    }

    @Test
    void aCordonedNodeDropsOutOfTheNextVersionWithItsReasonAndAnUncordonBringsItBack() {
        String a = "it-c-" + UUID.randomUUID().toString().substring(0, 8);
        String b = "it-d-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        broker.send(latency("eu-west", "eu-west", 2, now), "eu-west/eu-west");
        broker.send(pool("eu-west", "gpu", 2, 50, now), "eu-west/gpu");
        broker.send(node(a, "eu-west", "gpu", 40, now), a);
        broker.send(node(b, "eu-west", "gpu", 60, now), b);
        broker.send(inventory(a, "eu-west", "gpu", NodeState.JOINED, now), a);
        broker.send(inventory(b, "eu-west", "gpu", NodeState.JOINED, now), b);

        try (Broker.WeightsReader weights = broker.weights()) {
            RoutingWeights before = await().atMost(Duration.ofSeconds(30)).until(
                    () -> weights.poll().latest("eu-west"),
                    w -> w.isPresent() && hasNodes(w.get(), a, b)).orElseThrow();

            // A record no contract reads is skipped (and logged); the loop goes on to the next one.
            broker.sendRaw(TopicCatalog.OPERATOR_ACTIONS, "eu-west/gpu/node/" + a,
                    "{\"kind\":\"CORDON\"".getBytes(StandardCharsets.UTF_8));
            OperatorAction cordon = nodeAction(ActionKind.CORDON, "eu-west", "gpu", a, Instant.now());
            broker.send(TopicCatalog.OPERATOR_ACTIONS, cordon);

            RoutingWeights cordoned = nextVersion(weights, before);
            assertThat(cordoned.version()).isEqualTo(before.version() + 1);
            assertThat(nodeWeight(cordoned, a)).as("weight 0: left out of the node weights").isEmpty();
            assertThat(nodeWeight(cordoned, b)).hasValueSatisfying(w -> assertThat(w).isPositive());
            assertThat(cordoned.excluded()).contains(new Exclusion(
                    dev.meridian.contracts.routing.ExclusionScope.NODE, a, Tier.CORE_GPU, ExclusionReason.CORDONED,
                    "operator CORDON " + cordon.actionId() + " requested at " + cordon.requestedAt()));

            OperatorAction uncordon = nodeAction(ActionKind.UNCORDON, "eu-west", "gpu", a,
                    cordon.requestedAt().plusMillis(1));
            broker.send(TopicCatalog.OPERATOR_ACTIONS, uncordon);

            RoutingWeights back = nextVersion(weights, cordoned);
            assertThat(back.version()).isEqualTo(cordoned.version() + 1);
            assertThat(nodeWeight(back, a)).hasValueSatisfying(w -> assertThat(w).isPositive());
            assertThat(back.excluded()).noneMatch(e -> e.target().equals(a));
        }
    }

    @Test
    void restartReadsBackTheHighestVersionPerClientRegion() {
        Instant now = Instant.now();
        broker.send(new RoutingWeights("zz-restart", 41, now, false, List.of(), List.of()), "zz-restart");
        broker.send(new RoutingWeights("zz-restart", 40, now, false, List.of(), List.of()), "zz-restart");

        Map<String, RoutingWeights> last = PublishedWeightsReader.readAll(KafkaClientSettings.plaintext(bootstrap), Duration.ofSeconds(30));

        assertThat(last.get("zz-restart").version()).isEqualTo(41);
    }

    /** The first version after {@code previous} for the same client region (heartbeats repeat a version). */
    private static RoutingWeights nextVersion(Broker.WeightsReader weights, RoutingWeights previous) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> weights.poll().versions(previous.clientRegion()).stream()
                        .filter(w -> w.version() > previous.version()).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /**
     * Records of different partitions arrive in any order, so earlier versions may reflect only part of the input
     * (or the other test class's); this one has it all, so the next version can only be caused by what follows.
     */
    private static boolean reflectsEverything(RoutingWeights w, String a, String b) {
        return hasRegions(w, "eu-central", "eu-north", "eu-west") && hasNodes(w, a, b)
                && w.excluded().stream().anyMatch(e -> e.target().equals("us-east")
                        && e.reason() == ExclusionReason.OUTSIDE_RESIDENCY);
    }

    private static boolean hasRegions(RoutingWeights weights, String... regions) {
        return weights.table(Tier.CORE_GPU).map(t -> t.regions().stream().filter(r -> r.weight() > 0)
                .map(RegionWeight::region).toList().containsAll(List.of(regions))).orElse(false);
    }

    private static boolean hasNodes(RoutingWeights weights, String... nodes) {
        for (String node : nodes) {
            if (nodeWeight(weights, node).filter(w -> w > 0).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Double> nodeWeight(RoutingWeights weights, String node) {
        return weights.table(Tier.CORE_GPU).flatMap(t -> t.nodes().stream()
                .filter(n -> n.nodeId().equals(node)).map(NodeWeight::weight).findFirst());
    }
}
