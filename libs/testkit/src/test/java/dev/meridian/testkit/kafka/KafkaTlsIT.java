package dev.meridian.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.testkit.junit.KafkaClusterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SASL_SSL listener of {@code KafkaCluster.builder().tls(true)}: SCRAM-SHA-512 over TLS 1.3, certificates made at
 * start. A client with the cluster's properties gets through; one that speaks only TLS 1.2, or has the wrong
 * password, is refused at the door.
 */
// Bounds a hung server to one test instead of the whole build (the build machine is shared).
@Timeout(60)
class KafkaTlsIT {

    private static final String TOPIC = "meridian.tls-it.v1";
    private static final String USER = "fleet-registry";
    private static final String PASSWORD = "s3cret \"quoted\" \\ password";
    /** Refusals arrive within a second; this bounds a client that would instead wait for metadata forever. */
    private static final Duration REFUSAL = Duration.ofSeconds(15);

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.of(builder -> builder.name("tls").tls(true));

    @BeforeAll
    static void userAndTopic() {
        KAFKA.cluster().scramUser(USER, PASSWORD);
        KAFKA.cluster().createTopic(TOPIC, 1);
    }

    @Test
    void producerAndConsumerRoundTripOverTls13WithScram() throws Exception {
        Map<String, Object> producerConfig = KAFKA.cluster().clientProperties(USER, PASSWORD);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>(TOPIC, "us-east", "encrypted in transit")).get(15, TimeUnit.SECONDS);
        }

        Map<String, Object> consumerConfig = KAFKA.cluster().clientProperties(USER, PASSWORD);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "tls-it");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertThat(received).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("us-east");
            assertThat(record.value()).isEqualTo("encrypted in transit");
        });
    }

    @Test
    void refusesAClientThatSpeaksOnlyTls12() {
        Map<String, Object> config = KAFKA.cluster().clientProperties(USER, PASSWORD);
        config.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, "TLSv1.2");
        config.put(SslConfigs.SSL_PROTOCOL_CONFIG, "TLSv1.2");

        assertThatThrownBy(() -> describeCluster(config))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SslAuthenticationException.class)
                .hasMessageContaining("SSL handshake failed")
                .rootCause()
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void refusesAWrongScramPassword() {
        Map<String, Object> config = KAFKA.cluster().clientProperties(USER, "not-" + PASSWORD);

        assertThatThrownBy(() -> describeCluster(config))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
    }

    @Test
    void theKitsAdminUserGetsThroughTheSameDoor() throws Exception {
        assertThat(describeCluster(KAFKA.cluster().adminClientProperties())).isNotBlank();
    }

    /** One request through the secure listener; an authentication failure fails it at once, without retries. */
    private static String describeCluster(Map<String, Object> config) throws Exception {
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSAL.toMillis());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) REFUSAL.toMillis());
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().clusterId().get(REFUSAL.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
