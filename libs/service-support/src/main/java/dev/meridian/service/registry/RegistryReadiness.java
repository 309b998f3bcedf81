package dev.meridian.service.registry;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the registry view has caught up: before that every pool, region, price and budget looks unknown,
 * and a service would skip windows, price nothing or refuse every client region although the registry knows them.
 */
@IfBuildProperty(name = RegistryView.ENABLED, stringValue = "true")
@Readiness
@ApplicationScoped
public class RegistryReadiness implements HealthCheck {

    private final RegistryView registry;

    RegistryReadiness(RegistryView registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("fleet-config").status(registry.isCaughtUp()).build();
    }
}
