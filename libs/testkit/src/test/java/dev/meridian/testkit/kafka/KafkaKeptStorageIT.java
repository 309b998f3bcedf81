package dev.meridian.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.topic.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class KafkaKeptStorageIT {

    private static final TopicPartition LATENCY = new TopicPartition(TopicCatalog.LATENCY, 0);

    @TempDir
    Path storage;

    @Test
    void recordsTopicsAndCommittedOffsetsSurviveAStopAndStartOnTheSameStorage() {
        List<String> sent = IntStream.range(0, 10).mapToObj(i -> "probe-" + i).toList();
        try (KafkaCluster first = KafkaCluster.builder().name("kept").storage(storage).createCatalogTopics(true)
                .start()) {
            try (KafkaProducer<String, String> producer = producer(first)) {
                sent.forEach(value -> producer.send(new ProducerRecord<>(LATENCY.topic(), 0, "k", value)));
                producer.flush();
            }
            try (KafkaConsumer<String, String> consumer = consumer(first)) {
                consumer.commitSync(Map.of(LATENCY, new OffsetAndMetadata(4)));
            }
        }
        assertThat(storage.resolve("formatted")).exists();

        try (KafkaCluster second = KafkaCluster.builder().name("kept").storage(storage).createCatalogTopics(true)
                .start(); KafkaConsumer<String, String> consumer = consumer(second)) {
            assertThat(consumer.committed(Set.of(LATENCY)).get(LATENCY).offset()).isEqualTo(4);
            consumer.assign(List.of(LATENCY));
            consumer.seekToBeginning(List.of(LATENCY));
            List<String> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> read.add(record.value()));
                assertThat(read).containsExactlyElementsOf(sent);
            });
        }
    }

    @Test
    void aStartWithoutKeptStorageSeesNoneOfAnotherClustersData() throws Exception {
        try (KafkaCluster kept = KafkaCluster.builder().name("kept").storage(storage).createCatalogTopics(true)
                .start(); KafkaProducer<String, String> producer = producer(kept)) {
            producer.send(new ProducerRecord<>(LATENCY.topic(), 0, "k", "only-here")).get();
        }
        try (KafkaCluster fresh = KafkaCluster.builder().name("fresh").createCatalogTopics(true).start();
                KafkaConsumer<String, String> consumer = consumer(fresh)) {
            assertThat(consumer.endOffsets(List.of(LATENCY)).get(LATENCY)).isZero();
        }
        assertThat(Files.readString(storage.resolve("cluster.id"))).isNotBlank();
    }

    private static KafkaProducer<String, String> producer(KafkaCluster cluster) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KafkaCluster cluster) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kept-storage-it",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer());
    }
}
