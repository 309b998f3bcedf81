package dev.meridian.multiregion;

import dev.meridian.testkit.kafka.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything stored on one cluster: every topic, internal ones included (consumer offsets, transaction state,
 * MirrorMaker's offsets, configs and heartbeats, Kafka Streams' changelogs and repartition topics), every record
 * from the start to the end it had when the scan began, aborted transactional data included: what is on the wire
 * and on disk, not what a well-behaved consumer would show.
 */
final class WireScan {

    /** One stored record, as text (keys, values and header values are decoded as UTF-8; binary stays searchable). */
    record StoredRecord(String topic, int partition, long offset, String key, String value, String headers) {

        boolean contains(String token) {
            return (key != null && key.contains(token)) || (value != null && value.contains(token))
                    || headers.contains(token);
        }
    }

    private WireScan() {
    }

    /** Records by topic name, sorted by topic. */
    static Map<String, List<StoredRecord>> scan(KafkaCluster cluster) throws Exception {
        Set<String> topics;
        try (Admin admin = cluster.admin()) {
            topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        }
        return read(cluster, topics);
    }

    /** One topic's records, from its start to the end it had when the read began. */
    static List<StoredRecord> read(KafkaCluster cluster, String topic) {
        return read(cluster, Set.of(topic)).get(topic);
    }

    private static Map<String, List<StoredRecord>> read(KafkaCluster cluster, Set<String> topics) {
        Map<String, List<StoredRecord>> byTopic = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "wire-scan-" + cluster.name()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                byTopic.put(topic, new ArrayList<>());
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(cluster.name() + ": could not read " + topics.size()
                            + " topics to their end in 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    byTopic.get(record.topic()).add(new StoredRecord(record.topic(), record.partition(),
                            record.offset(), text(record.key()), text(record.value()), headers(record)));
                }
            }
        }
        return byTopic;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            // Transaction markers occupy offsets too: the position, not the records seen, says where we are.
            if (consumer.position(e.getKey(), Duration.ofSeconds(10)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String headers(ConsumerRecord<?, ?> record) {
        StringBuilder text = new StringBuilder();
        for (Header header : record.headers()) {
            text.append(header.key()).append('=').append(header.value() == null ? "" : text(header.value()))
                    .append(';');
        }
        return text.toString();
    }
}
