package dev.meridian.ingest.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import org.eclipse.microprofile.config.ConfigProvider;

/** A plain consumer over a whole topic, for asserting what the doors really wrote. */
final class TopicReader {

    private TopicReader() {
    }

    /** Waits until {@code count} records matching {@code filter} are on {@code topic}, and returns them. */
    static List<ConsumerRecord<String, byte[]>> await(String topic, int count,
            Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(topic)) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                poll(consumer, filter, matching);
                return matching.size() >= count;
            });
        }
        return matching;
    }

    /**
     * Reads {@code topic} from the beginning for {@code window} and fails as soon as a record matching
     * {@code filter} is there: for what a door must never have published.
     */
    static void awaitNone(String topic, Duration window, Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(topic)) {
            Awaitility.await().during(window).atMost(window.plusSeconds(5))
                    .failFast("a record that must not be on " + topic + " is there", () -> !matching.isEmpty())
                    .until(() -> {
                        poll(consumer, filter, matching);
                        return matching.isEmpty();
                    });
        }
    }

    /**
     * Every record matching {@code filter} on {@code topic} now: read from the beginning up to the end offsets when
     * called. For what a door published before it answered (it answers once the broker acknowledged), exactly.
     */
    static List<ConsumerRecord<String, byte[]>> upToEnd(String topic,
            Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(topic)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                poll(consumer, filter, matching);
                return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
        return matching;
    }

    private static KafkaConsumer<String, byte[]> fromTheBeginning(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue(KafkaTestResource.TEST_CLIENTS_BOOTSTRAP, String.class),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, Predicate<ConsumerRecord<String, byte[]>> filter,
            List<ConsumerRecord<String, byte[]>> matching) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
            if (filter.test(record)) {
                matching.add(record);
            }
        });
    }
}
