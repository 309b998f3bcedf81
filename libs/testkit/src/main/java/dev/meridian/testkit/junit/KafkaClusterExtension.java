package dev.meridian.testkit.junit;

import dev.meridian.testkit.kafka.KafkaCluster;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link KafkaCluster} before the test class and stops it after. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();
 * }</pre>
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<KafkaCluster.Builder> customizer;
    private KafkaCluster cluster;
    private String owner;

    private KafkaClusterExtension(UnaryOperator<KafkaCluster.Builder> customizer) {
        this.customizer = customizer;
    }

    /** One broker, no topics. */
    public static KafkaClusterExtension singleBroker() {
        return new KafkaClusterExtension(UnaryOperator.identity());
    }

    /** One broker with every catalog topic created. */
    public static KafkaClusterExtension withCatalogTopics() {
        return new KafkaClusterExtension(builder -> builder.createCatalogTopics(true));
    }

    /** Any cluster the builder can describe, e.g. {@code b -> b.brokers(3).name("eu-west")}. */
    public static KafkaClusterExtension of(UnaryOperator<KafkaCluster.Builder> customizer) {
        return new KafkaClusterExtension(customizer);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // @Nested classes run beforeAll again on the inherited extension: keep the outer class's cluster.
        if (cluster == null) {
            cluster = customizer.apply(KafkaCluster.builder()).start();
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null && context.getUniqueId().equals(owner)) {
            try {
                cluster.close();
            } finally {
                cluster = null;
                owner = null;
            }
        }
    }

    public KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("Kafka cluster not started: register the extension on a static field");
        }
        return cluster;
    }

    public String bootstrapServers() {
        return cluster().bootstrapServers();
    }
}
