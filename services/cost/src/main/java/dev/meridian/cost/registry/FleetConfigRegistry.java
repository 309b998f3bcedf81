package dev.meridian.cost.registry;

import dev.meridian.cost.streams.Registry;
import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The FleetConfig view of {@code meridian.fleet.config.*}: prices, budgets and pool tags. */
@ApplicationScoped
public class FleetConfigRegistry implements Registry {

    private final String bootstrapServers;
    private FleetConfig fleetConfig;

    FleetConfigRegistry(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @PostConstruct
    void start() {
        fleetConfig = FleetConfig.builder(bootstrapServers).clientId("meridian-cost-fleet-config").start();
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
