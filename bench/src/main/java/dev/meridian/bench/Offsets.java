package dev.meridian.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Offsets of topics and consumer groups, through the Admin client, and reading a range of a topic back. */
final class Offsets {

    private static final long TIMEOUT_SECONDS = 30;

    private Offsets() {
    }

    static Map<TopicPartition, Long> end(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The group's committed offsets on {@code topic}; a partition it never committed is absent. */
    static Map<TopicPartition, Long> committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Whether {@code offsets} reach {@code targets} on every partition of the targets. */
    static boolean reached(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream().allMatch(t -> offsets.getOrDefault(t.getKey(), -1L) >= t.getValue());
    }

    /** Records from {@code from} to {@code to}, summed over the partitions (one absent in {@code from}: from 0). */
    static long between(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        return to.entrySet().stream().mapToLong(e -> e.getValue() - from.getOrDefault(e.getKey(), 0L)).sum();
    }

    /** Frees the disk: records before {@code offsets} are gone. */
    static void deleteBefore(Admin admin, Map<TopicPartition, Long> offsets) throws Exception {
        admin.deleteRecords(offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> RecordsToDelete.beforeOffset(e.getValue())))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Reads read_committed from {@code from} on, handing each record to {@code each}: until {@code done} says so or
     * {@code timeout} passed, then on to the end committed by then (so a surplus is seen too).
     *
     * @return whether {@code done} was reached
     */
    static boolean readCommitted(String bootstrap, Map<TopicPartition, Long> from,
            Consumer<ConsumerRecord<byte[], byte[]>> each, BooleanSupplier done, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, CpuUsage.BENCH_MARK + "checker",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
            boolean reached = done.getAsBoolean();
            Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
            return reached;
        }
    }
}
