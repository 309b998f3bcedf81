package dev.meridian.scaler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.scaler.Fleet;
import dev.meridian.scaler.RegistryFeed;
import dev.meridian.testkit.metrics.MetricCatalog;
import dev.meridian.testkit.metrics.StrictExposition;
import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.testkit.kafka.AclProbe;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed: on a broker with TLS 1.3, SCRAM and deploy/'s ACLs, logged in as its own KafkaUser
 * {@code meridian-scaler}, the registry arrives as Debezium change events on {@code fleet.config.*}, pool windows
 * and inventory as metrics-ingest writes them, commands come out with their CloudEvents headers, and health and
 * metrics say so — and that login can do nothing another service's job needs.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = KafkaTestResource.KAFKA_USER_ARG, value = "meridian-scaler"))
class ScalerServiceIT {

    /** The test plays metrics-ingest, the registry and the actuator: the kit's plaintext door. */
    @ConfigProperty(name = KafkaTestResource.TEST_CLIENTS_BOOTSTRAP)
    String bootstrap;

    /** The scaler's own login, as its hand-built clients use it. */
    @Inject
    KafkaClientSettings serviceLogin;

    @Test
    void itsLoginIsRefusedWhatOtherServicesDo() {
        Map<String, Object> login = serviceLogin.connection();
        assertThat(login).containsEntry("security.protocol", "SASL_SSL");

        // Least privilege, and the probe itself sound: what it must do is allowed.
        assertThat(AclProbe.surprises(login,
                List.of(TopicCatalog.ROUTING_WEIGHTS, TopicCatalog.METRICS_RAW, TopicCatalog.UTILIZATION_POOL),
                List.of(TopicCatalog.AUDIT_LOG), TopicCatalog.UTILIZATION_POOL)).isEmpty();
    }

    @Test
    void registryPoolsScaleOnSustainedLoadEndToEnd() {
        String pool = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            RegistryFeed.region(producer, "us-east", "US");
            RegistryFeed.pool(producer, "us-east", pool, 2, 16);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);

            for (int i = 1; i <= 4; i++) {
                String id = pool + "-n" + i;
                producer.send(new ProducerRecord<>(TopicCatalog.FLEET_NODES, id, ContractJson.write(
                        Fleet.node("us-east", pool, id, CapacityType.ON_DEMAND, NodeState.JOINED, t0))));
            }
            producer.flush();
            // windows keep coming, as they would every 10 s: whichever three consecutive ones follow the inventory
            // complete the sustain period
            try (KafkaConsumer<String, String> commands = commandsReader()) {
                ConsumerRecord<String, String> record = null;
                for (int k = 0; k < 12 && record == null; k++) {
                    PoolUtilization window = Fleet.window("us-east", pool, t0, k, 95);
                    producer.send(new ProducerRecord<>(TopicCatalog.UTILIZATION_POOL, window.key(),
                            ContractJson.write(window)));
                    producer.flush();
                    record = poll(commands, "us-east/" + pool, Duration.ofSeconds(2));
                }

                assertThat(record).as("a scale-out within 12 hot windows").isNotNull();
                ScaleCommand command = ContractJson.read(record.value(), ScaleCommand.class);
                assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
                assertThat(command.desiredNodes()).isEqualTo(7);
                CloudEventAttributes event = CloudEventHeaders.read(record.headers()).orElseThrow();
                assertThat(event.id()).isEqualTo(command.commandId());
                assertThat(event.source()).isEqualTo("/meridian/scaler");
                assertThat(event.subject()).isEqualTo("us-east");
            }
        }

        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("meridian_scaler_commands_total{action=\"SCALE_OUT\"")
                .contains("meridian_scaler_reaction_seconds_count");
        // deploy/'s alerts and dashboards name these (deploy/observability/metrics.txt).
        assertThat(MetricCatalog.missingFrom("scaler", metrics)).isEmpty();
        // The whole page as strict scrapers (promtool check metrics, Telegraf) read it.
        assertThat(StrictExposition.problems(metrics)).isEmpty();
    }

    private KafkaConsumer<String, String> commandsReader() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(TopicCatalog.SCALING_COMMANDS));
        return consumer;
    }

    private static ConsumerRecord<String, String> poll(KafkaConsumer<String, String> consumer, String key,
            Duration within) {
        Instant until = Instant.now().plus(within);
        while (Instant.now().isBefore(until)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (key.equals(record.key())) {
                    return record;
                }
            }
        }
        return null;
    }
}
