package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.meridian.contracts.topic.Cleanup;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/** deploy/kafka/topics.yaml holds exactly the catalog's topics, with the catalog's partitions and configuration. */
class KafkaTopicsTest {

    private static Map<String, KafkaTopic> topicsByName() {
        return Manifests.ofKind(Manifests.documents(KafkaTopicsManifest.FILE), KafkaTopic.class).values().stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), Function.identity()));
    }

    @Test
    void fileIsWhatTheGeneratorRendersFromTheCatalog() throws IOException {
        String rendered = KafkaTopicsManifest.render();
        if (Boolean.getBoolean("meridian.regenerate")) {
            Files.writeString(KafkaTopicsManifest.FILE, rendered);
        }
        assertThat(Files.readString(KafkaTopicsManifest.FILE))
                .as("deploy/kafka/topics.yaml is stale: run KafkaTopicsManifest (see the file's header)")
                .isEqualTo(rendered);
    }

    @Test
    void topicSetEqualsTheCatalog() {
        assertThat(topicsByName().keySet())
                .containsExactlyInAnyOrderElementsOf(TopicCatalog.all().stream().map(TopicSpec::name).toList());
    }

    @Test
    void partitionsCleanupRetentionAndCompactionLagAreTheCatalogs() {
        Map<String, KafkaTopic> topics = topicsByName();
        for (TopicSpec spec : TopicCatalog.all()) {
            KafkaTopic topic = topics.get(spec.name());
            Map<String, Object> config = topic.getSpec().getConfig();
            assertThat(topic.getSpec().getPartitions()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(topic.getSpec().getReplicas()).as(spec.name()).isEqualTo(3);
            assertThat(config.get("cleanup.policy")).as(spec.name())
                    .isEqualTo(spec.cleanup() == Cleanup.DELETE ? "delete" : "compact");
            long retention = Long.parseLong(config.get("retention.ms").toString());
            assertThat(retention).as(spec.name()).isEqualTo(spec.retention().map(Duration::toMillis).orElse(-1L));
            assertThat(config.containsKey("min.compaction.lag.ms")).as(spec.name())
                    .isEqualTo(spec.minCompactionLag().isPresent());
            spec.minCompactionLag().ifPresent(lag -> assertThat(
                    Long.parseLong(config.get("min.compaction.lag.ms").toString())).isEqualTo(lag.toMillis()));
            assertThat(config.keySet()).as(spec.name())
                    .allMatch(k -> k.equals("cleanup.policy") || k.equals("retention.ms")
                            || k.equals("min.compaction.lag.ms"));
        }
    }

    @Test
    void auditLogIsKeptThreeYearsOf365Days() {
        // 3 × 365 days × 86,400 s × 1,000 ms, worked out by hand.
        assertThat(topicsByName().get(TopicCatalog.AUDIT_LOG).getSpec().getConfig().get("retention.ms"))
                .isEqualTo("94608000000");
    }

    @Test
    void compactedRegistryTopicsKeepChangesSevenDaysBeforeCompaction() {
        topicsByName().forEach((name, topic) -> {
            if (name.startsWith(TopicCatalog.FLEET_CONFIG_PREFIX)) {
                assertThat(topic.getSpec().getConfig().get("min.compaction.lag.ms")).as(name).isEqualTo("604800000");
                assertThat(topic.getSpec().getPartitions()).as(name).isEqualTo(1);
            }
        });
    }

    @Test
    void resourceNamesAreValidKubernetesNames() {
        Manifests.documents(KafkaTopicsManifest.FILE).forEach(doc -> assertThat(doc.name()).as(doc.toString())
                .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?").hasSizeLessThanOrEqualTo(253));
    }
}
