package dev.meridian.scaler.health;

import dev.meridian.scaler.fleet.FleetView;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the registry view has caught up: before that every pool would look unknown and windows would be
 * skipped. Kafka Streams' own check (state stores restored, RUNNING) is contributed by the extension.
 */
@Readiness
@ApplicationScoped
public class FleetConfigReadiness implements HealthCheck {

    private final FleetView fleet;

    public FleetConfigReadiness(FleetView fleet) {
        this.fleet = fleet;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("fleet-config").status(fleet.isCaughtUp()).build();
    }
}
