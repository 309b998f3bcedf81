package dev.meridian.cost.health;

import dev.meridian.cost.registry.FleetConfigRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the registry view has caught up: before that prices and budgets are missing, and node time would
 * be unpriced. Kafka Streams' own readiness check (state RUNNING, so stores restored) and the broker check come from
 * the Quarkus extensions.
 */
@Readiness
@ApplicationScoped
public class RegistryReadiness implements HealthCheck {

    private final FleetConfigRegistry registry;

    public RegistryReadiness(FleetConfigRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("fleet-config").status(registry.isCaughtUp()).build();
    }
}
