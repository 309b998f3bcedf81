package dev.meridian.scheduler.messaging;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.service.kafka.KafkaClientSettings;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the compacted weights topic to its end once, on start: the last version per client region, so a restarted
 * scheduler continues the version numbers and damps against what routers actually hold.
 */
public final class PublishedWeightsReader {

    private static final System.Logger LOG = System.getLogger(PublishedWeightsReader.class.getName());

    private PublishedWeightsReader() {
    }

    public static Map<String, RoutingWeights> readAll(KafkaClientSettings kafka, Duration timeout) {
        // read_committed, as routers read it: a round aborted by a failure or by fencing was never published.
        Map<String, Object> own = Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Deserializer<RoutingWeights> deserializer = ContractSerdes.routingWeights().deserializer();
        Map<String, RoutingWeights> last = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = kafka.newConsumer("meridian-scheduler-weights-reload", own,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.ROUTING_WEIGHTS, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!reached(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("could not read " + TopicCatalog.ROUTING_WEIGHTS + " to its end"
                            + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() == null) {
                        continue;
                    }
                    if (record.value() == null) {
                        last.remove(record.key());
                        continue;
                    }
                    try {
                        RoutingWeights weights = deserializer.deserialize(record.topic(), record.value());
                        // Keep the highest version, not the latest offset: a second instance's stray write must not
                        // make the numbers go backwards.
                        last.merge(record.key(), weights, (a, b) -> b.version() >= a.version() ? b : a);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "skipping an unreadable weights record at " + record.topic() + "-"
                                + record.partition() + "@" + record.offset(), e);
                    }
                }
            }
        }
        return last;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
