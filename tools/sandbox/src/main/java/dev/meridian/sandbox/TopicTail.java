package dev.meridian.sandbox;

import dev.meridian.contracts.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one catalog topic from the beginning without a consumer group (read_committed, as every consumer of our
 * exactly-once services must): the newest value per key, the last few records, and how many were read.
 */
final class TopicTail<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final Map<String, V> latest = new TreeMap<>();
    private final Deque<V> recent = new ArrayDeque<>();
    private final int keepRecent;
    private long read;

    TopicTail(String bootstrapServers, String topic, Deserializer<V> deserializer, int keepRecent) {
        this.keepRecent = keepRecent;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), deserializer);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < TopicCatalog.byName(topic).partitions(); p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived since the last call; returns the new values in arrival order. */
    List<V> poll(Duration timeout) {
        return poll(timeout, Instant.EPOCH);
    }

    /**
     * Reads what arrived since the last call; returns the new values stamped at or after {@code since}, in arrival
     * order (a kept topic also holds earlier runs' records, which still count for {@link #latest()}).
     */
    List<V> poll(Duration timeout, Instant since) {
        List<V> arrived = new ArrayList<>();
        for (ConsumerRecord<String, V> record : consumer.poll(timeout)) {
            read++;
            if (record.value() == null) {
                latest.remove(record.key());
                continue;
            }
            latest.put(record.key(), record.value());
            recent.addLast(record.value());
            if (recent.size() > keepRecent) {
                recent.removeFirst();
            }
            if (record.timestamp() >= since.toEpochMilli()) {
                arrived.add(record.value());
            }
        }
        return arrived;
    }

    Map<String, V> latest() {
        return latest;
    }

    /** The newest records last. */
    List<V> recent() {
        return List.copyOf(recent);
    }

    long read() {
        return read;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
