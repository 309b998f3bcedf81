package dev.meridian.scheduler;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.validation.Validated;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/** What the other services and the registry's connector would write, and a reader of the weights topic. */
public final class Broker implements AutoCloseable {

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;

    public Broker(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** A contract record with its CloudEvents headers, to its own topic or (mirrored) another one. */
    public void send(String topic, String key, Validated value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, ContractJson.write(value));
        CloudEventHeaders.write(record.headers(), CloudEventAttributes.of(ContractType.of(value.getClass()),
                "/test", Instant.now(), null));
        producer.send(record);
        producer.flush();
    }

    public void send(Validated value, String key) {
        send(ContractType.of(value.getClass()).topic(), key, value);
    }

    /**
     * An operator's action as the operator API writes it: {@link ContractSerdes#operatorAction()}, keyed by its slot,
     * to {@code topic} (the local topic or a mirror of it).
     */
    public void send(String topic, OperatorAction action) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, action.key(),
                ContractSerdes.operatorAction().serializer().serialize(topic, action));
        CloudEventHeaders.write(record.headers(), CloudEventAttributes.of(ContractType.OPERATOR_ACTION, "/test",
                Instant.now(), action.region()));
        producer.send(record);
        producer.flush();
    }

    /** Bytes as they are, e.g. a value no contract reads. */
    public void sendRaw(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
        producer.flush();
    }

    /**
     * A region row as Debezium captures it from the registry (JSON converter without schemas): the shape
     * FleetConfig's decoder reads, so no PostgreSQL or Connect is needed here.
     */
    public void region(String name, String zone) {
        String key = "{\"name\":\"" + name + "\"}";
        String value = "{\"before\":null,\"after\":{\"name\":\"" + name + "\",\"zone\":\"" + zone
                + "\",\"display_name\":\"" + name + "\",\"changed_by\":\"test\",\"changed_at\":\"2026-11-27T12:00:00Z\"},"
                + "\"source\":{\"schema\":\"config\",\"table\":\"regions\",\"txId\":1,\"ts_ms\":0},\"op\":\"c\",\"ts_ms\":0}";
        producer.send(new ProducerRecord<>(TopicCatalog.fleetConfigTopic("regions"), key,
                value.getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }

    /** Reads the weights topic from its start; each {@link #poll()} adds what arrived since. */
    public WeightsReader weights() {
        return new WeightsReader(bootstrap);
    }

    @Override
    public void close() {
        producer.close();
    }

    public static final class WeightsReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        WeightsReader(String bootstrap) {
            // As routers must read it: versions of an aborted round were never published.
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.ROUTING_WEIGHTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        public WeightsReader poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return this;
        }

        /** Polls until everything committed so far has been read: what is not here now was never published. */
        public WeightsReader pollToEnd() {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the weights topic was not read to " + end + " in 30 s");
                }
                poll();
            }
            return this;
        }

        public List<ConsumerRecord<String, byte[]>> records() {
            return records;
        }

        public List<RoutingWeights> versions(String clientRegion) {
            return records.stream().filter(r -> clientRegion.equals(r.key()))
                    .map(r -> ContractSerdes.routingWeights().deserializer().deserialize(r.topic(), r.value()))
                    .toList();
        }

        public Optional<RoutingWeights> latest(String clientRegion) {
            List<RoutingWeights> versions = versions(clientRegion);
            return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
