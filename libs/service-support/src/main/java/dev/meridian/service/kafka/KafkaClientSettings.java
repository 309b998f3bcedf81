package dev.meridian.service.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one place a hand-built Kafka client of a service gets its connection settings: bootstrap servers, TLS, SASL
 * and the like, from Quarkus' {@code default-kafka-broker} map (every {@code kafka.*} property without the prefix).
 * Transport security is configured once, as {@code kafka.*}, and reaches every client: Kafka Streams and Reactive
 * Messaging through Quarkus, the hand-built ones through this bean.
 *
 * <p>That map also holds keys no client knows (Quarkus derives them from {@code kafka-streams.*} and others as well),
 * which a client would only warn about, so only the client's own config names are kept. Identities are left out:
 * Quarkus fills {@code group.id} with the application name, and a shared group, client or transactional id would tie
 * unrelated clients together; each client sets its own on top of what this returns.
 */
@Singleton
public class KafkaClientSettings {

    /** Quarkus' TLS registry: its SSL engine factory ({@code ssl.engine.factory.class}) reads this key itself. */
    static final String TLS_CONFIGURATION_NAME = "tls-configuration-name";

    private static final Set<String> IDENTITIES = Set.of(ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private final String bootstrapServers;
    private final Map<String, Object> kafka;

    @Inject
    KafkaClientSettings(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.kafka = Map.copyOf(kafka);
    }

    /** Outside Quarkus (harnesses, tools): a plaintext broker, where bootstrap servers are all a client needs. */
    public static KafkaClientSettings plaintext(String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, Map.of());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A consumer's settings, named {@code clientId}; a new, mutable map for the client's own settings on top. */
    private Map<String, Object> consumer(String clientId) {
        return withIdentity(consumer(kafka), clientId);
    }

    /** A producer's settings, named {@code clientId}; a new, mutable map for the client's own settings on top. */
    private Map<String, Object> producer(String clientId) {
        return withIdentity(producer(kafka), clientId);
    }

    /**
     * A consumer named {@code clientId} with this service's connection settings and then {@code own} on top: the one
     * way a service builds a consumer, so that every client gets the same transport security.
     */
    public <K, V> KafkaConsumer<K, V> newConsumer(String clientId, Map<String, Object> own, Deserializer<K> keys,
            Deserializer<V> values) {
        Map<String, Object> props = consumer(clientId);
        props.putAll(own);
        return new KafkaConsumer<>(props, keys, values);
    }

    /** A producer named {@code clientId}, as {@link #newConsumer}. */
    public <K, V> KafkaProducer<K, V> newProducer(String clientId, Map<String, Object> own, Serializer<K> keys,
            Serializer<V> values) {
        Map<String, Object> props = producer(clientId);
        props.putAll(own);
        return new KafkaProducer<>(props, keys, values);
    }

    /**
     * Where and how this service reaches Kafka — bootstrap servers, TLS, SASL — without a client name: what a probe
     * needs to try something as this service; a new, mutable map.
     */
    public Map<String, Object> connection() {
        Map<String, Object> connection = consumer(kafka);
        connection.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return connection;
    }

    /** A consumer's connection and login settings without bootstrap servers or a name, for builders that set those. */
    public Map<String, Object> consumerConnection() {
        return consumer(kafka);
    }

    private Map<String, Object> withIdentity(Map<String, Object> selected, String clientId) {
        selected.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        selected.put(CommonClientConfigs.CLIENT_ID_CONFIG, Objects.requireNonNull(clientId, "clientId"));
        return selected;
    }

    /** What a consumer takes from {@code kafka}; a new, mutable map. */
    static Map<String, Object> consumer(Map<String, Object> kafka) {
        return select(kafka, ConsumerConfig.configNames());
    }

    /** What a producer takes from {@code kafka}; a new, mutable map. */
    static Map<String, Object> producer(Map<String, Object> kafka) {
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
