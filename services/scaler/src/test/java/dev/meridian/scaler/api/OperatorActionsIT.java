package dev.meridian.scaler.api;

import static dev.meridian.testkit.security.Callers.as;
import static dev.meridian.testkit.security.Callers.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.scaler.Fleet;
import dev.meridian.scaler.RegistryFeed;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operators act through the API on a real broker: an ap-southeast operator drains an ap-southeast node (the action on
 * its topic with the operator as actor, APPLIED, then DRAIN and SCALE_IN of exactly that node carrying the operator),
 * the same operator is refused another region's node (403, nothing published, the refusal reported to the audit),
 * and bad actions are refused with problem+json before anything is published.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class OperatorActionsIT {

    private static final String REGION = "ap-southeast";
    private static final String JSON = "application/json";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private String pool;

    @BeforeEach
    void fleet() {
        pool = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            RegistryFeed.region(producer, REGION, "APAC");
            RegistryFeed.region(producer, "eu-west", "EU");
            RegistryFeed.pool(producer, REGION, pool, 1, 8);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
            Instant joined = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
            for (int i = 1; i <= 3; i++) {
                String id = pool + "-n" + i;
                producer.send(new ProducerRecord<>(TopicCatalog.FLEET_NODES, id, ContractJson.write(
                        Fleet.node(REGION, pool, id, CapacityType.ON_DEMAND, NodeState.JOINED, joined))));
            }
            producer.flush();
        }
        // 503 until the streams thread runs (stores not queryable yet), then the three nodes.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response nodes = operator().queryParam("region", REGION).queryParam("pool", pool).get("/v1/nodes");
            return nodes.statusCode() == 200 && nodes.jsonPath().getList("nodeId").size() == 3;
        });
    }

    @Test
    void anOperatorDrainsANodeOfItsRegionAndTheCommandsCarryTheOperator() {
        String node = pool + "-n2";
        // What a body says of its actor, id or time is not the API's to take: the token and the service say those.
        Response accepted = operator().contentType(JSON)
                .body(Map.of("kind", "DRAIN", "region", REGION, "pool", pool, "nodeId", node, "reason", "bad GPU",
                        "actor", "mallory", "actionId", "forged", "requestedAt", "2000-01-01T00:00:00Z"))
                .post("/v1/actions");
        accepted.then().statusCode(202).body("status", equalTo("PENDING"))
                .body("action.actor", equalTo(user(Roles.OPERATOR)));
        String id = accepted.jsonPath().getString("actionId");
        assertThat(id).isNotEqualTo("forged");
        assertThat(Instant.parse(accepted.jsonPath().getString("action.requestedAt")))
                .isAfter(Instant.now().minusSeconds(60));
        assertThat(accepted.header("Location")).endsWith("/v1/actions/" + id);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                operator().get("/v1/actions/{id}", id).then().statusCode(200).body("status", equalTo("APPLIED")));
        // On its topic with the operator as the authenticated actor, whatever a body could say.
        ConsumerRecord<String, byte[]> published = records(TopicCatalog.OPERATOR_ACTIONS, 1,
                r -> new String(r.value()).contains(id)).get(0);
        OperatorAction action = ContractJson.read(published.value(), OperatorAction.class);
        assertThat(action.kind()).isEqualTo(ActionKind.DRAIN);
        assertThat(action.actor()).isEqualTo(user(Roles.OPERATOR));
        assertThat(AuthContext.readFrom(published.headers()).orElseThrow().id()).isEqualTo(user(Roles.OPERATOR));
        // DRAIN now, SCALE_IN after the drain period (2 s in tests): exactly that node, both the operator's.
        List<ScaleCommand> commands = records(TopicCatalog.SCALING_COMMANDS, 2, r -> (REGION + "/" + pool).equals(r.key()))
                .stream().map(r -> ContractJson.read(r.value(), ScaleCommand.class)).toList();
        assertThat(commands).extracting(ScaleCommand::action).containsExactly(ScaleAction.DRAIN, ScaleAction.SCALE_IN);
        assertThat(commands).allSatisfy(command -> {
            assertThat(command.nodes()).containsExactly(node);
            assertThat(command.requestedBy()).isEqualTo(user(Roles.OPERATOR));
        });
        operator().queryParam("region", REGION).get("/v1/actions").then().statusCode(200)
                .body("find { it.actionId == '" + id + "' }.status", equalTo("APPLIED"));
    }

    @Test
    void anotherRegionsNodeIsRefusedAndNothingIsPublished() {
        String marker = "eu-" + UUID.randomUUID();
        Response refused = operator().contentType(JSON)
                .body(Map.of("kind", "DRAIN", "region", "eu-west", "pool", "gpu-a", "nodeId", marker))
                .post("/v1/actions");
        refused.then().statusCode(403).contentType(startsWith("application/problem+json"));

        assertThat(records(TopicCatalog.AUDIT_OPERATIONS, 1, r -> r.value() != null
                && new String(r.value()).contains("\"eu-west\"") && new String(r.value()).contains("POST /v1/actions")))
                .extracting(r -> ContractJson.read(r.value(), AccessDenial.class))
                .anySatisfy(denial -> {
                    assertThat(denial.principal()).isEqualTo(user(Roles.OPERATOR));
                    assertThat(denial.status()).isEqualTo(403);
                });
        for (String topic : List.of(TopicCatalog.OPERATOR_ACTIONS, TopicCatalog.OPERATOR_ACTION_RESULTS,
                TopicCatalog.SCALING_COMMANDS)) {
            assertThat(everything(topic)).as(topic).noneMatch(r -> new String(r.value()).contains(marker));
        }
    }

    @Test
    void badActionsAreRefusedBeforeAnythingIsPublished() {
        String reason = "refused-" + UUID.randomUUID();
        Instant later = Instant.now().plus(Duration.ofHours(1));
        refused(Map.of("kind", "SCALE", "region", REGION, "pool", pool, "nodes", 99, "until", later.toString(),
                "reason", reason), 400, "invalid-action");
        refused(Map.of("kind", "SCALE", "region", REGION, "pool", pool, "nodes", 2,
                "until", Instant.now().minusSeconds(60).toString(), "reason", reason), 400, "invalid-action");
        refused(Map.of("kind", "PAUSE", "region", REGION, "pool", "no-such-pool", "reason", reason), 404,
                "unknown-pool");
        refused(Map.of("kind", "CORDON", "region", REGION, "pool", pool, "nodeId", "no-such-node", "reason", reason),
                404, "unknown-node");
        refused(Map.of("kind", "SCALE", "region", REGION, "pool", pool, "reason", reason), 400, "invalid-action");
        refused(Map.of("kind", "PAUSE", "region", REGION, "pool", pool, "until",
                Instant.now().plus(Duration.ofDays(400)).toString(), "reason", reason), 400, "invalid-action");

        // A good one with the same reason comes after them: once it is on the topic, none of the others is.
        String good = operator().contentType(JSON).body(Map.of("kind", "PAUSE", "region", REGION, "pool", pool,
                "until", later.toString(), "reason", reason)).post("/v1/actions")
                .then().statusCode(202).extract().jsonPath().getString("actionId");
        records(TopicCatalog.OPERATOR_ACTIONS, 1, r -> new String(r.value()).contains(good));
        assertThat(everything(TopicCatalog.OPERATOR_ACTIONS)).filteredOn(r -> new String(r.value()).contains(reason))
                .extracting(r -> ContractJson.read(r.value(), OperatorAction.class).actionId())
                .containsExactly(good);
    }

    private static void refused(Map<String, Object> body, int status, String type) {
        operator().contentType(JSON).body(body).post("/v1/actions").then().statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:meridian:problem:" + type));
    }

    private static RequestSpecification operator() {
        return as(Roles.OPERATOR, REGION);
    }

    /** Waits until {@code count} records matching {@code filter} are on {@code topic}, from its beginning. */
    private List<ConsumerRecord<String, byte[]>> records(String topic, int count,
            Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null && filter.test(r)) {
                        found.add(r);
                    }
                });
                return found.size() >= count;
            });
        }
        return found;
    }

    /** What is on {@code topic} now. */
    private List<ConsumerRecord<String, byte[]>> everything(String topic) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(topic)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null) {
                        all.add(r);
                    }
                });
                return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
        return all;
    }

    private KafkaConsumer<String, byte[]> fromTheBeginning(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
