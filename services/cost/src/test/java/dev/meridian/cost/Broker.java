package dev.meridian.cost;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.validation.Validated;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the other services and the registry's connector would write, and readers of the cost topics. */
public final class Broker implements AutoCloseable {

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;

    public Broker(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** A contract record with its CloudEvents headers, to its catalog topic. */
    public void send(String key, Validated value) {
        ContractType type = ContractType.of(value.getClass());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(type.topic(), key, ContractJson.write(value));
        CloudEventHeaders.write(record.headers(), CloudEventAttributes.of(type, "/test", Instant.now(), null));
        producer.send(record);
        producer.flush();
    }

    /** Registry rows as Debezium captures them (JSON converter without schemas), the shape FleetConfig reads. */
    public void region(String name, String zone) {
        row("regions", "{\"name\":\"" + name + "\"}", "{\"name\":\"" + name + "\",\"zone\":\"" + zone
                + "\",\"display_name\":\"" + name + "\"," + STAMP + "}");
    }

    public void pool(String region, String name, String capacityType, String tagsJson) {
        row("node_pools", "{\"region\":\"" + region + "\",\"name\":\"" + name + "\"}",
                "{\"region\":\"" + region + "\",\"name\":\"" + name + "\",\"tier\":\"CORE_GPU\",\"min_size\":0,"
                        + "\"max_size\":10,\"warm_size\":0,\"instance_types\":[\"" + Fixtures.GPU + "\"],"
                        + "\"capacity_type\":\"" + capacityType + "\",\"spot_fallback\":false,"
                        + "\"criticality\":\"NORMAL\",\"tags\":" + quote(tagsJson) + "," + STAMP + "}");
    }

    public void price(String region, String capacityType, String hourly) {
        String key = "{\"region\":\"" + region + "\",\"instance_type\":\"" + Fixtures.GPU + "\",\"capacity_type\":\""
                + capacityType + "\",\"effective_from\":\"2026-01-01T00:00:00Z\"}";
        row("prices", key, "{\"region\":\"" + region + "\",\"instance_type\":\"" + Fixtures.GPU
                + "\",\"capacity_type\":\"" + capacityType + "\",\"effective_from\":\"2026-01-01T00:00:00Z\","
                + "\"effective_until\":null,\"hourly_price\":\"" + hourly + "\",\"currency\":\"USD\"," + STAMP + "}");
    }

    public void budget(String scope, String tagKey, String tagValue, String monthly) {
        String type = tagKey == null ? "GLOBAL" : "TAG";
        budget(scope, type, null, tagKey, tagValue, monthly);
    }

    /** The budget of one region, scope {@code region:<region>}. */
    public void regionBudget(String region, String monthly) {
        budget("region:" + region, "REGION", region, null, null, monthly);
    }

    private void budget(String scope, String type, String region, String tagKey, String tagValue, String monthly) {
        row("budgets", "{\"scope\":\"" + scope + "\"}", "{\"scope\":\"" + scope + "\",\"scope_type\":\"" + type
                + "\",\"region\":" + (region == null ? "null" : "\"" + region + "\"")
                + ",\"tag_key\":" + (tagKey == null ? "null" : "\"" + tagKey + "\"")
                + ",\"tag_value\":" + (tagValue == null ? "null" : "\"" + tagValue + "\"")
                + ",\"monthly_amount\":\"" + monthly + "\",\"currency\":\"USD\"," + STAMP + "}");
    }

    private static final String STAMP = "\"changed_by\":\"test\",\"changed_at\":\"2026-11-27T12:00:00Z\"";

    private static String quote(String json) {
        return "\"" + json.replace("\"", "\\\"") + "\"";
    }

    private void row(String table, String key, String after) {
        String value = "{\"before\":null,\"after\":" + after + ",\"source\":{\"schema\":\"config\",\"table\":\""
                + table + "\",\"txId\":1,\"ts_ms\":0},\"op\":\"c\",\"ts_ms\":0}";
        producer.send(new ProducerRecord<>(TopicCatalog.fleetConfigTopic(table), key,
                value.getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }

    public <T> Reader<T> reader(String topic, Deserializer<T> deserializer) {
        return new Reader<>(bootstrap, topic, deserializer::deserialize);
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Reads a topic from its start (read_committed); each {@link #poll()} adds what arrived since. */
    public static final class Reader<T> implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final java.util.function.BiFunction<String, byte[], T> decode;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        private final List<T> values = new ArrayList<>();

        Reader(String bootstrap, String topic, java.util.function.BiFunction<String, byte[], T> decode) {
            this.decode = decode;
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        public List<T> poll() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                records.add(record);
                values.add(record.value() == null ? null : decode.apply(record.topic(), record.value()));
            }
            return values;
        }

        public List<ConsumerRecord<String, byte[]>> records() {
            return records;
        }

        public <K> Map<K, T> latestBy(Function<T, K> key) {
            Map<K, T> latest = new java.util.LinkedHashMap<>();
            for (T value : poll()) {
                if (value != null) {
                    latest.put(key.apply(value), value);
                }
            }
            return latest;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
