package dev.meridian.registry.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The part of a service's shared Kafka configuration that one hand-built client takes: bootstrap servers, TLS, SASL
 * and the like, from Quarkus' {@code default-kafka-broker} map (every {@code kafka.*} property without the prefix).
 *
 * <p>That map also holds keys no client knows (Quarkus derives them from {@code kafka-streams.*} and others as well),
 * which a client would only warn about, so only the client's own config names are kept. Identities are left out:
 * Quarkus fills {@code group.id} with the application name, and a shared group, client or transactional id would tie
 * unrelated clients together; each client sets its own on top of what this returns.
 */
public final class KafkaClientProperties {

    /** Quarkus' TLS registry: its SSL engine factory ({@code ssl.engine.factory.class}) reads this key itself. */
    static final String TLS_CONFIGURATION_NAME = "tls-configuration-name";

    private static final Set<String> IDENTITIES = Set.of(ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private KafkaClientProperties() {
    }

    /** What a consumer takes from {@code kafka}; a new, mutable map. */
    public static Map<String, Object> consumer(Map<String, Object> kafka) {
        return select(kafka, ConsumerConfig.configNames());
    }

    /** What a producer takes from {@code kafka}; a new, mutable map. */
    public static Map<String, Object> producer(Map<String, Object> kafka) {
        return select(kafka, ProducerConfig.configNames());
    }

    private static Map<String, Object> select(Map<String, Object> kafka, Set<String> clientConfigNames) {
        Map<String, Object> selected = new HashMap<>();
        kafka.forEach((key, value) -> {
            boolean known = clientConfigNames.contains(key) || TLS_CONFIGURATION_NAME.equals(key);
            if (known && !IDENTITIES.contains(key)) {
                selected.put(key, value);
            }
        });
        return selected;
    }
}
