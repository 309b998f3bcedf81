package dev.meridian.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import dev.meridian.testkit.junit.KafkaClusterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

// Bounds a hung server to one test instead of the whole build (the build machine is shared).
@Timeout(120)
class KafkaClusterIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    @Test
    void createsEveryCatalogTopicWithItsPartitionsAndConfigs() throws Exception {
        try (Admin admin = KAFKA.cluster().admin()) {
            Set<String> names = TopicCatalog.all().stream().map(TopicSpec::name).collect(Collectors.toSet());
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            for (TopicSpec spec : TopicCatalog.all()) {
                assertThat(topics.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
            }

            ConfigResource compacted = new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.FLEET_NODES);
            ConfigResource fleetConfig = new ConfigResource(ConfigResource.Type.TOPIC,
                    TopicCatalog.fleetConfigTopic("regions"));
            ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.METRICS_RAW);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(compacted, fleetConfig, raw)).all().get();

            assertThat(configs.get(compacted).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(fleetConfig).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(fleetConfig).get("min.compaction.lag.ms").value())
                    .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
            assertThat(configs.get(raw).get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(configs.get(raw).get("retention.ms").value())
                    .isEqualTo(Long.toString(Duration.ofHours(24).toMillis()));
        }
    }

    @Test
    void deliversProducedRecordsToAConsumerGroup() {
        String topic = TopicCatalog.LATENCY;
        List<String> sent = IntStream.range(0, 20).mapToObj(i -> "us-east/eu-west#" + i).toList();
        try (KafkaProducer<String, String> producer = producer()) {
            for (String value : sent) {
                producer.send(new ProducerRecord<>(topic, "us-east/eu-west", value));
            }
            producer.flush();
        }

        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer("produce-consume-it")) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    received.add(record.value());
                }
                return received.size() >= sent.size();
            });
        }
        // One key, so one partition: order is preserved end to end.
        assertThat(received).containsExactlyElementsOf(sent);
    }

    @Test
    void refusesToAutoCreateUnknownTopics() throws Exception {
        try (Admin admin = KAFKA.cluster().admin()) {
            try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000"))) {
                var result = producer.send(new ProducerRecord<>("meridian.typo.v1", "k", "v"));
                assertThatThrownBy(result::get)
                        .hasCauseInstanceOf(TimeoutException.class)
                        .hasRootCauseInstanceOf(UnknownTopicOrPartitionException.class);
            }
            assertThat(admin.listTopics().names().get()).doesNotContain("meridian.typo.v1");
        }
    }

    private static KafkaProducer<String, String> producer() {
        return producer(Map.of());
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        config.putAll(extra);
        return new KafkaProducer<>(config);
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }
}
