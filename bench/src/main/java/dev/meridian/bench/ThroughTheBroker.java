package dev.meridian.bench;

import dev.meridian.testkit.kafka.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the reaction benchmarks share: clients tuned for latency, LogAppendTime topics, percentiles. */
final class ThroughTheBroker {

    private ThroughTheBroker() {
    }

    /** acks=all and no linger: every record leaves at once, as a trigger should. */
    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * Assigned every partition, read_committed as consumers must: from the end, so only what follows counts, or from
     * the start, so records written before the reader existed are seen too.
     */
    static KafkaConsumer<String, byte[]> committedReader(String bootstrap, String topic, boolean fromEnd) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = List.of();
        // a topic created a moment ago may not be in the metadata yet
        for (int attempt = 0; attempt < 100 && partitions.isEmpty(); attempt++) {
            partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("no partitions for " + topic);
        }
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seekToBeginning(partitions);
        }
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** The broker stamps each record when it appends it: latencies between topics need no clock of ours. */
    static void logAppendTime(KafkaCluster kafka, String... topics) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (String topic : topics) {
            changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                    new ConfigEntry("message.timestamp.type", "LogAppendTime"), AlterConfigOp.OpType.SET)));
        }
        try (var admin = kafka.admin()) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }

    /**
     * The floor every reaction is compared with: one record at a time, produced and read back read_committed;
     * milliseconds from its append (LogAppendTime) to the read.
     */
    static List<Long> baseline(String bootstrap, String topic, int records, long paceMs) throws Exception {
        List<Long> latencies = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap);
                KafkaConsumer<String, byte[]> consumer = committedReader(bootstrap, topic, true)) {
            for (int i = 0; i < records; i++) {
                long appended = producer.send(new ProducerRecord<>(topic, "k" + i, new byte[200])).get().timestamp();
                boolean seen = false;
                while (!seen) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                        if (record.timestamp() >= appended) {
                            latencies.add(System.currentTimeMillis() - appended);
                            seen = true;
                            break;
                        }
                    }
                }
                TimeUnit.MILLISECONDS.sleep(paceMs);
            }
        }
        return latencies;
    }

    static long percentile(List<Long> values, double p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.max(0, Math.ceil(p * sorted.size()) - 1));
    }

    /** One row: p50, p99 and max in ms. */
    static void print(String label, List<Long> values) {
        System.out.printf("%-40s %6d   %6d   %6d   (n=%d)%n", label, percentile(values, 0.5),
                percentile(values, 0.99), percentile(values, 1.0), values.size());
    }
}
