package dev.meridian.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;

/**
 * Renders deploy/kafka/topics.yaml from {@link TopicCatalog}: one Strimzi KafkaTopic per catalog topic. Run the main
 * (or the test with {@code -Dmeridian.regenerate=true}) after a catalog change; KafkaTopicsTest fails until the file
 * is what this renders.
 */
public final class KafkaTopicsManifest {

    static final Path FILE = Repo.DEPLOY.resolve("kafka/topics.yaml");

    /** Three brokers in three zones; with min.insync.replicas=2 a zone can go without refusing writes. */
    static final int REPLICAS = 3;

    private KafkaTopicsManifest() {
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(FILE, render());
        System.out.println("wrote " + FILE);
    }

    static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# GENERATED from TopicCatalog (libs/contracts) by KafkaTopicsManifest (tests/deploy);\n")
                .append("# do not edit. Regenerate: ./mvnw -B -pl tests/deploy -am test -Dtest=KafkaTopicsTest\n")
                .append("# -Dsurefire.failIfNoSpecifiedTests=false -Dmeridian.regenerate=true\n")
                .append("# metadata.name is the topic name made a valid Kubernetes name (underscores become dashes);\n")
                .append("# spec.topicName is the real one.\n");
        for (TopicSpec topic : TopicCatalog.all()) {
            out.append("---\n")
                    .append("# key: ").append(topic.key()).append("; value: ").append(topic.value())
                    .append(topic.crossesRegions() ? "; crosses regions (MirrorMaker 2)" : "; stays in its region")
                    .append('\n')
                    .append("apiVersion: kafka.strimzi.io/v1beta2\n")
                    .append("kind: KafkaTopic\n")
                    .append("metadata:\n")
                    .append("  name: ").append(resourceName(topic.name())).append('\n')
                    .append("  labels:\n")
                    .append("    strimzi.io/cluster: meridian\n")
                    .append("spec:\n")
                    .append("  topicName: ").append(topic.name()).append('\n')
                    .append("  partitions: ").append(topic.partitions()).append('\n')
                    .append("  replicas: ").append(REPLICAS).append('\n')
                    .append("  config:\n");
            topic.kafkaConfigs().forEach((key, value) -> out.append("    ").append(key).append(": \"").append(value)
                    .append("\"\n"));
        }
        return out.toString();
    }

    /** A DNS-1123 subdomain: lower case, digits, '-' and '.'. */
    static String resourceName(String topic) {
        return topic.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
