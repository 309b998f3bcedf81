package dev.meridian.scaler.streams;

import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.scaler.config.ScalerConfig;
import dev.meridian.service.registry.RegistryView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.HashSet;
import org.apache.kafka.streams.Topology;

/** Hands the scaler's one topology to the Kafka Streams extension. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(ScalerConfig config, RegistryView fleet, ScalerMetrics metrics) {
        return ScalerTopology.build(new ScalerTopology.Settings(fleet::current, baseSettings(config),
                new HashSet<>(config.homeRegions()), config.tick(), config.source(), Clock.systemUTC(),
                config.actions().resultWindow()), metrics);
    }

    /** The policy defaults with the service-wide knobs applied; per-pool overrides come from the registry. */
    static ScalingSettings baseSettings(ScalerConfig config) {
        ScalerConfig.Policy policy = config.policy();
        return ScalingSettings.DEFAULTS.withMaxStep(policy.maxStep())
                .withDeadlines(policy.drainPeriod(), policy.provisioningTimeout())
                .withCombinedConditions(policy.queueDepthThreshold().orElse(null),
                        policy.kvCacheThreshold().orElse(null));
    }
}
