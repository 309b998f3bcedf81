package dev.meridian.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.testkit.junit.KafkaClusterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

// Bounds a hung server to one test instead of the whole build (the build machine is shared).
@Timeout(120)
class KafkaFailoverIT {

    private static final String TOPIC = "failover";
    private static final int RECORDS = 10_000;

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.of(b -> b.name("failover").brokers(3));

    @Test
    void idempotentProducerLosesAndDuplicatesNothingWhileALeaderBrokerStops() throws Exception {
        KafkaCluster cluster = KAFKA.cluster();
        cluster.createTopic(TOPIC, 3);
        int victim;
        try (Admin admin = cluster.admin()) {
            TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
            assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            var config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC)))
                    .all().get().values().iterator().next();
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            // Stopping the leader of partition 0 forces a leader change under the producer's feet.
            victim = description.partitions().get(0).leader().id();
        }

        CountDownLatch firstAcks = new CountDownLatch(2_000);
        CompletableFuture<Void> brokerStopped = new CompletableFuture<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>(RECORDS);
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, String> producer = producer()) {
                // Before the stop, while it happens, and after it completed.
                send(producer, 0, 6_000, acks, firstAcks);
                brokerStopped.join();
                send(producer, 6_000, RECORDS, acks, firstAcks);
                producer.flush();
            }
        });

        assertThat(firstAcks.await(30, TimeUnit.SECONDS)).isTrue();
        cluster.stopBroker(victim);
        brokerStopped.complete(null);
        producing.get(60, TimeUnit.SECONDS);
        for (Future<RecordMetadata> ack : acks) {
            assertThat(ack.get()).isNotNull();
        }

        try (Admin admin = cluster.admin()) {
            // The stopped broker leads nothing and has left every ISR: the writes above really failed over.
            assertThat(admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions())
                    .allSatisfy(p -> {
                        assertThat(p.leader().id()).isNotEqualTo(victim);
                        assertThat(p.isr()).extracting(node -> node.id()).doesNotContain(victim);
                    });
        }

        List<String> keys = consumeAll();
        assertThat(keys).hasSize(RECORDS);
        assertThat(new HashSet<>(keys))
                .isEqualTo(IntStream.range(0, RECORDS).mapToObj(Integer::toString).collect(Collectors.toSet()));

        cluster.startBroker(victim);
        try (Admin admin = cluster.admin()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions())
                    .allSatisfy(p -> assertThat(p.isr()).hasSize(3)));
        }
    }

    private static void send(KafkaProducer<String, String> producer, int from, int to,
            List<Future<RecordMetadata>> acks, CountDownLatch counter) {
        for (int key = from; key < to; key++) {
            String k = Integer.toString(key);
            acks.add(producer.send(new ProducerRecord<>(TOPIC, k, "value-" + k), (metadata, error) -> {
                if (error == null) {
                    counter.countDown();
                }
            }));
        }
    }

    private static List<String> consumeAll() {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            List<TopicPartition> partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // Without transactions every offset is a record: the log holds exactly what was written.
            assertThat(end.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(RECORDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
        return keys;
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }
}
