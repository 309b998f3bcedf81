package dev.meridian.scaler.fleet;

import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.kafka.KafkaClientProperties;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The registry as the scaler reads it: pools, ladders, criticality and overrides from {@code fleet.config.*}. */
@Startup
@ApplicationScoped
public class FleetView {

    private final String bootstrapServers;
    private final Map<String, Object> kafka;
    private volatile FleetConfig fleetConfig;

    FleetView(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.bootstrapServers = bootstrapServers;
        this.kafka = kafka;
    }

    @PostConstruct
    void start() {
        FleetConfig.Builder builder = FleetConfig.builder(bootstrapServers).clientId("meridian-scaler-fleet-config");
        // TLS, SASL and the rest of Quarkus' kafka.* settings, as for every client the service builds.
        KafkaClientProperties.consumer(kafka).forEach(builder::consumerProperty);
        fleetConfig = builder.start();
    }

    void stop(@Observes ShutdownEvent event) {
        FleetConfig fc = fleetConfig;
        if (fc != null) {
            fc.close();
        }
    }

    public FleetSnapshot current() {
        FleetConfig fc = fleetConfig;
        return fc == null ? FleetSnapshot.EMPTY : fc.current();
    }

    public boolean isCaughtUp() {
        FleetConfig fc = fleetConfig;
        return fc != null && fc.isCaughtUp();
    }
}
