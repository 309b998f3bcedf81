package dev.meridian.scheduler.health;

import dev.meridian.scheduler.messaging.InputsConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the registry view has caught up: before that every client region would look unknown, and the
 * route API would refuse everybody (fail closed) although the registry knows them. Nor before the inputs were read
 * to their end (the first version waits for that), nor ever again once another instance has fenced this one.
 */
@Readiness
@ApplicationScoped
public class FleetConfigReadiness implements HealthCheck {

    private final InputsConsumer inputs;

    public FleetConfigReadiness(InputsConsumer inputs) {
        this.inputs = inputs;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("fleet-config")
                .status(inputs.isReady())
                .withData("fleetConfigCaughtUp", inputs.isFleetConfigCaughtUp())
                .withData("publishedWeightsRestored", inputs.isRestored())
                .withData("inputsCaughtUp", inputs.isInputsCaughtUp())
                .withData("fenced", inputs.isFenced())
                .build();
    }
}
