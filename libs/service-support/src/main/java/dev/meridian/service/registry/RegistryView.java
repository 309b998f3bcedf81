package dev.meridian.service.registry;

import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.FleetView;
import dev.meridian.service.kafka.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The registry as every service reads it: one {@link FleetConfig} per service, following the
 * {@code meridian.fleet.config.*} topics (or their mirrors) with the service's own Kafka settings, started with the
 * application so that readiness ({@link RegistryReadiness}) can wait for it.
 *
 * <p>Only in the services that decide on the registry ({@value #ENABLED}{@code =true}, a build-time property): the
 * others would wait for topics they never read.
 */
@IfBuildProperty(name = RegistryView.ENABLED, stringValue = "true")
@Startup
@ApplicationScoped
public class RegistryView implements FleetView {

    public static final String ENABLED = "meridian.registry.view.enabled";

    private final KafkaClientSettings kafka;
    private final String clientId;
    private volatile FleetConfig fleetConfig;

    RegistryView(KafkaClientSettings kafka, @ConfigProperty(name = "quarkus.application.name") String application) {
        this.kafka = kafka;
        this.clientId = "meridian-" + application + "-fleet-config";
    }

    @PostConstruct
    void start() {
        fleetConfig = follow(kafka, clientId);
    }

    /** A started {@link FleetConfig} named {@code clientId}, with the service's Kafka settings; also for harnesses. */
    public static FleetConfig follow(KafkaClientSettings kafka, String clientId) {
        FleetConfig.Builder builder = FleetConfig.builder(kafka.bootstrapServers()).clientId(clientId);
        kafka.consumerConnection().forEach(builder::consumerProperty);
        return builder.start();
    }

    void stop(@Observes ShutdownEvent event) {
        FleetConfig fc = fleetConfig;
        if (fc != null) {
            fc.close();
        }
    }

    @Override
    public FleetSnapshot current() {
        FleetConfig fc = fleetConfig;
        return fc == null ? FleetSnapshot.EMPTY : fc.current();
    }

    @Override
    public boolean isCaughtUp() {
        FleetConfig fc = fleetConfig;
        return fc != null && fc.isCaughtUp();
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return fleetConfig.awaitCaughtUp(timeout);
    }
}
