package dev.meridian.scaler.fleet;

import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The registry as the scaler reads it: pools, ladders, criticality and overrides from {@code fleet.config.*}. */
@Startup
@ApplicationScoped
public class FleetView {

    private final String bootstrapServers;
    private volatile FleetConfig fleetConfig;

    FleetView(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @PostConstruct
    void start() {
        fleetConfig = FleetConfig.builder(bootstrapServers).clientId("meridian-scaler-fleet-config").start();
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
