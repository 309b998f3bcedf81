package dev.meridian.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of Quarkus' {@code kafka.*} settings a hand-built client takes. */
class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"meridian-scaler\" password=\"secret\";";

    /** Shaped like Quarkus' default-kafka-broker map in deploy/: the kafka.* keys without their prefix. */
    private static Map<String, Object> deployedKafka() {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", "meridian-kafka-bootstrap:9093");
        kafka.put("security.protocol", "SASL_SSL");
        kafka.put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.put("sasl.jaas.config", JAAS);
        kafka.put("ssl.truststore.type", "PEM");
        kafka.put("ssl.truststore.location", "/etc/meridian/kafka-ca/ca.crt");
        return kafka;
    }

    @Test
    void consumersAndProducersKeepTheConnectionAndLoginSettings() {
        Map<String, Object> expected = Map.of(
                "bootstrap.servers", "meridian-kafka-bootstrap:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", "/etc/meridian/kafka-ca/ca.crt");
        assertThat(KafkaClientSettings.consumer(deployedKafka())).isEqualTo(expected);
        assertThat(KafkaClientSettings.producer(deployedKafka())).isEqualTo(expected);
    }

    @Test
    void aConnectionIsTheLoginWithTheServiceBootstrapAndNoName() {
        Map<String, Object> kafka = deployedKafka();
        kafka.put("client.id", "someone-else");
        KafkaClientSettings settings = new KafkaClientSettings("broker-a:9093,broker-b:9093", kafka);

        Map<String, Object> connection = settings.connection();

        assertThat(connection).containsEntry("bootstrap.servers", "broker-a:9093,broker-b:9093")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", JAAS)
                .doesNotContainKey("client.id");
        connection.put("group.id", "mutable");
        assertThat(settings.connection()).as("a new map each call").doesNotContainKey("group.id");
    }

    @Test
    void keysNoClientKnowsAreDropped() {
        Map<String, Object> kafka = deployedKafka();
        // Quarkus also maps kafka-streams.* and similar names into this map, minus "kafka".
        kafka.put("streams.processing.guarantee", "exactly_once_v2");
        kafka.put("streams.ssl.truststore.location", "/elsewhere");
        kafka.put("health.enabled", "true");
        kafka.put("devservices.enabled", "false");

        assertThat(KafkaClientSettings.consumer(kafka)).containsOnlyKeys(deployedKafka().keySet());
        assertThat(KafkaClientSettings.producer(kafka)).containsOnlyKeys(deployedKafka().keySet());
    }

    @Test
    void eachClientKeepsOnlyItsOwnSettings() {
        Map<String, Object> kafka = deployedKafka();
        kafka.put("isolation.level", "read_committed");
        kafka.put("acks", "all");

        assertThat(KafkaClientSettings.consumer(kafka)).contains(entry("isolation.level", "read_committed"))
                .doesNotContainKey("acks");
        assertThat(KafkaClientSettings.producer(kafka)).contains(entry("acks", "all"))
                .doesNotContainKey("isolation.level");
    }

    @Test
    void identitiesAreLeftToEachClient() {
        Map<String, Object> kafka = deployedKafka();
        kafka.put("group.id", "meridian-scaler"); // Quarkus' default: the application name
        kafka.put("group.instance.id", "pod-0");
        kafka.put("client.id", "shared");
        kafka.put("transactional.id", "shared-tx");

        assertThat(KafkaClientSettings.consumer(kafka)).containsOnlyKeys(deployedKafka().keySet());
        assertThat(KafkaClientSettings.producer(kafka)).containsOnlyKeys(deployedKafka().keySet());
    }

    @Test
    void quarkusTlsRegistrySettingsSurvive() {
        Map<String, Object> kafka = deployedKafka();
        kafka.put("tls-configuration-name", "kafka");
        kafka.put("ssl.engine.factory.class", "io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory");

        assertThat(KafkaClientSettings.consumer(kafka)).contains(entry("tls-configuration-name", "kafka"),
                entry("ssl.engine.factory.class", "io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory"));
        assertThat(KafkaClientSettings.producer(kafka)).contains(entry("tls-configuration-name", "kafka"),
                entry("ssl.engine.factory.class", "io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory"));
    }

    @Test
    void theResultIsACopyTheClientCanAddTo() {
        Map<String, Object> kafka = deployedKafka();
        Map<String, Object> consumer = KafkaClientSettings.consumer(kafka);
        consumer.put("group.id", "meridian-scaler-actuator");

        assertThat(kafka).doesNotContainKey("group.id");
        assertThat(KafkaClientSettings.consumer(Map.of())).isEmpty();
    }
}
