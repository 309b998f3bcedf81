package dev.meridian.testkit.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import dev.meridian.testkit.kafka.KafkaCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

// Bounds a hung server to one test instead of the whole build (the build machine is shared).
@Timeout(120)
class MirrorMakerRunnerIT {

    @RegisterExtension
    static final KafkaClusterExtension US_EAST = KafkaClusterExtension.of(b -> b.name("us-east"));

    @RegisterExtension
    static final KafkaClusterExtension EU_WEST = KafkaClusterExtension.of(b -> b.name("eu-west"));

    @Test
    void mirrorsMatchingTopicsUnderTheSourcePrefixAndNothingElse() throws Exception {
        KafkaCluster source = US_EAST.cluster();
        KafkaCluster target = EU_WEST.cluster();
        source.createTopics(List.of(TopicCatalog.byName(TopicCatalog.LATENCY), TopicCatalog.byName(TopicCatalog.METRICS_RAW)));
        produce(source, TopicCatalog.LATENCY, List.of("us-east/eu-west=71", "us-east/us-west=64"));
        produce(source, TopicCatalog.METRICS_RAW, List.of("{\"node\":\"n1\"}"));

        try (MirrorMakerRunner mirror = MirrorMakerRunner.builder()
                .cluster(source)
                .cluster(target)
                .flow("us-east", "eu-west", "meridian\\.latency\\.v1")
                .start()) {
            mirror.awaitRunning(Duration.ofSeconds(60));
            String mirrored = MirrorMakerRunner.remoteTopic("us-east", TopicCatalog.LATENCY);
            assertThat(mirrored).isEqualTo("us-east.meridian.latency.v1");

            assertThat(consume(target, mirrored, 2)).containsExactly("us-east/eu-west=71", "us-east/us-west=64");

            // Records written after the topic was picked up cross as well.
            produce(source, TopicCatalog.LATENCY, List.of("us-east/eu-west=70"));
            assertThat(consume(target, mirrored, 3)).endsWith("us-east/eu-west=70");

            try (Admin admin = target.admin()) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).contains(mirrored)
                        .doesNotContain(MirrorMakerRunner.remoteTopic("us-east", TopicCatalog.METRICS_RAW))
                        .noneMatch(t -> t.endsWith(TopicCatalog.METRICS_RAW));
            }
            try (Admin admin = source.admin()) {
                // No reverse flow: nothing was mirrored into the source region.
                assertThat(admin.listTopics().names().get()).noneMatch(t -> t.startsWith("eu-west."));
            }
        }
    }

    private static void produce(KafkaCluster cluster, String topic, List<String> values) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, "key", value));
            }
            producer.flush();
        }
    }

    private static List<String> consume(KafkaCluster cluster, String topic, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "mirror-it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            // The mirrored topic appears only once MirrorMaker's topic refresh found the source topic.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (consumer.subscription().isEmpty()) {
                    if (!consumer.listTopics().containsKey(topic)) {
                        return false;
                    }
                    consumer.subscribe(List.of(topic));
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
                return values.size() >= count;
            });
        }
        return values;
    }
}
