package dev.meridian.scaler.api;

import static dev.meridian.testkit.security.Callers.everywhere;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.scaler.Fleet;
import dev.meridian.scaler.RegistryFeed;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import dev.meridian.testkit.security.DoorMatrix;
import dev.meridian.testkit.security.DoorMatrix.Scope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every door of the scaler's operator API × every role × a token of the region, of another region and of every
 * region × every kind of bad token, generated from the service's OpenAPI document (see {@link DoorMatrix}).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class DoorMatrixIT {

    /** Both scaled here in the test profile; only REGION has the pool. */
    private static final String REGION = "ap-southeast";
    private static final String OTHER = "us-east";
    private static final Set<String> READERS = Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyDoorAnswersEachRoleAndRegionAsItsRuleSays() {
        String pool = "matrix-" + UUID.randomUUID().toString().substring(0, 8);
        String node = pool + "-n1";
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            RegistryFeed.region(producer, REGION, "APAC");
            RegistryFeed.pool(producer, REGION, pool, 1, 8);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
            producer.send(new ProducerRecord<>(TopicCatalog.FLEET_NODES, node, ContractJson.write(Fleet.node(REGION,
                    pool, node, CapacityType.ON_DEMAND, NodeState.JOINED, Instant.now().minusSeconds(60)))));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                everywhere(Roles.VIEWER).get("/v1/nodes").asString().contains(node));
        // One action of REGION's pool, taken up: what the action reads must show REGION's readers only.
        String action = everywhere(Roles.ADMIN).contentType("application/json")
                .body(Map.of("kind", "RESUME", "region", REGION, "pool", pool)).post("/v1/actions")
                .then().statusCode(202).extract().jsonPath().getString("actionId");

        int requests = new DoorMatrix(REGION, OTHER)
                // RESUME of a pool that is not paused: harmless however often the matrix repeats it.
                .rule("POST /v1/actions", Set.of(Roles.OPERATOR, Roles.ADMIN), Scope.NAMED, 202, null,
                        (caller, region) -> caller.contentType("application/json")
                                .body(Map.of("kind", "RESUME", "region", region, "pool", pool)).post("/v1/actions"))
                .rule("GET /v1/actions/{actionId}", READERS, Scope.BY_ID, 200, pool,
                        (caller, region) -> caller.get("/v1/actions/{id}", action))
                .rule("GET /v1/actions", READERS, Scope.FILTERED, 200, pool,
                        (caller, region) -> caller.get("/v1/actions"))
                .rule("GET /v1/pools", READERS, Scope.FILTERED, 200, pool, (caller, region) -> caller.get("/v1/pools"))
                .rule("GET /v1/nodes", READERS, Scope.FILTERED, 200, node, (caller, region) -> caller.get("/v1/nodes"))
                .assertAll();

        assertThat(requests).as("the matrix really ran").isGreaterThan(100);
    }
}
