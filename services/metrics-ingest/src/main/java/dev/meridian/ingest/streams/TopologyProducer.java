package dev.meridian.ingest.streams;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.IntakeMetrics;
import dev.meridian.ingest.intake.SampleValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.Topology;

/** Hands {@link IngestTopology} to the Kafka Streams extension. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    Topology topology(IngestConfig config, SampleValidator validator, IntakeMetrics intakeMetrics,
            WindowMetrics windowMetrics) {
        return IngestTopology.build(RawIntake.Settings.from(config, validator, intakeMetrics),
                TopologySettings.from(config), windowMetrics);
    }
}
