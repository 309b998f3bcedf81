package dev.meridian.cost.streams;

import dev.meridian.cost.config.CostConfig;
import dev.meridian.registry.config.FleetView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

/** Hands {@link CostTopology} to the Kafka Streams extension. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(CostConfig config, FleetView registry, CostMetrics metrics) {
        return CostTopology.build(config.toSettings(), registry, metrics);
    }
}
