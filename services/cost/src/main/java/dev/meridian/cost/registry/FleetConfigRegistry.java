package dev.meridian.cost.registry;

import dev.meridian.cost.streams.Registry;
import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.kafka.KafkaClientProperties;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The FleetConfig view of {@code meridian.fleet.config.*}: prices, budgets and pool tags. */
@ApplicationScoped
public class FleetConfigRegistry implements Registry {

    private final String bootstrapServers;
    private final Map<String, Object> kafka;
    private FleetConfig fleetConfig;

    FleetConfigRegistry(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.bootstrapServers = bootstrapServers;
        this.kafka = kafka;
    }

    @PostConstruct
    void start() {
        FleetConfig.Builder builder = FleetConfig.builder(bootstrapServers).clientId("meridian-cost-fleet-config");
        // TLS, SASL and the rest of Quarkus' kafka.* settings, as for every client the service builds.
        KafkaClientProperties.consumer(kafka).forEach(builder::consumerProperty);
        fleetConfig = builder.start();
    }

    @PreDestroy
    void stop() {
        fleetConfig.close();
    }

    @Override
    public FleetSnapshot current() {
        return fleetConfig.current();
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return fleetConfig.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return fleetConfig.isCaughtUp();
    }
}
