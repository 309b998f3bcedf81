package dev.meridian.scheduler.health;

import dev.meridian.scheduler.messaging.DecisionLoop;
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
public class DecisionLoopReadiness implements HealthCheck {

    private final DecisionLoop loop;

    public DecisionLoopReadiness(DecisionLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("routing")
                .status(loop.isReady())
                .withData("fleetConfigCaughtUp", loop.isFleetConfigCaughtUp())
                .withData("publishedWeightsRestored", loop.isRestored())
                .withData("inputsCaughtUp", loop.isInputsCaughtUp())
                .withData("fenced", loop.isFenced())
                .build();
    }
}
