package dev.meridian.multiregion;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every weights version one region's scheduler published, in order, read from that region's
 * {@code meridian.routing.weights.v1} as a router would (committed versions only). {@link #poll()} adds what
 * arrived since the last call; one test thread uses it.
 */
final class WeightsLog implements AutoCloseable {

    private final String region;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<RoutingWeights> versions = new ArrayList<>();

    WeightsLog(String region, String bootstrapServers) {
        this.region = region;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "weights-log-" + region),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.ROUTING_WEIGHTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    String region() {
        return region;
    }

    WeightsLog poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.value() != null) {
                versions.add(ContractSerdes.routingWeights().deserializer().deserialize(record.topic(), record.value()));
            }
        }
        return this;
    }

    /** Every version read so far, heartbeats included, in the order they were published per client region. */
    List<RoutingWeights> all() {
        return List.copyOf(versions);
    }

    List<RoutingWeights> versions(String clientRegion) {
        return versions.stream().filter(w -> w.clientRegion().equals(clientRegion)).toList();
    }

    Optional<RoutingWeights> latest(String clientRegion) {
        List<RoutingWeights> of = versions(clientRegion);
        return of.isEmpty() ? Optional.empty() : Optional.of(of.get(of.size() - 1));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
