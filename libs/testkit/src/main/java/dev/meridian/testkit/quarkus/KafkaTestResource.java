package dev.meridian.testkit.quarkus;

import dev.meridian.testkit.kafka.KafkaCluster;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Kafka broker for a {@code @QuarkusTest}, with the catalog topics created:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(KafkaTestResource.class)
 * class RoutingWeightsTest { ... }
 * }</pre>
 *
 * Init args: {@code brokers} (1 or 3, default 1), {@code catalog-topics} (default true).
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BROKERS_ARG = "brokers";
    public static final String CATALOG_TOPICS_ARG = "catalog-topics";

    private int brokers = 1;
    private boolean catalogTopics = true;
    private KafkaCluster cluster;

    @Override
    public void init(Map<String, String> initArgs) {
        brokers = Integer.parseInt(initArgs.getOrDefault(BROKERS_ARG, "1"));
        catalogTopics = Boolean.parseBoolean(initArgs.getOrDefault(CATALOG_TOPICS_ARG, "true"));
    }

    @Override
    public Map<String, String> start() {
        cluster = KafkaCluster.builder().name("quarkus-test").brokers(brokers).createCatalogTopics(catalogTopics).start();
        return Map.of(
                "kafka.bootstrap.servers", cluster.bootstrapServers(),
                "quarkus.kafka-streams.bootstrap-servers", cluster.bootstrapServers());
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
