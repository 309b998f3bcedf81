package dev.meridian.ingest.streams;

import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.IntakeMetrics;
import dev.meridian.ingest.intake.SampleValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The service's one Kafka Streams topology: the Kafka door (raw → node or DLQ), then node windows, inventory and
 * pool windows. The Kafka door hands the samples it validated on their node's task to the windowing directly; the
 * windowing reads the rest (the HTTP door's, mis-keyed raw records) from {@code meridian.metrics.node.v1}.
 */
@ApplicationScoped
public class TopologyProducer {

    private final IngestConfig config;
    private final SampleValidator validator;
    private final IntakeMetrics intakeMetrics;
    private final WindowMetrics windowMetrics;

    TopologyProducer(IngestConfig config, SampleValidator validator, IntakeMetrics intakeMetrics,
            WindowMetrics windowMetrics) {
        this.config = config;
        this.validator = validator;
        this.intakeMetrics = intakeMetrics;
        this.windowMetrics = windowMetrics;
    }

    @Produces
    public Topology topology() {
        return buildTopology(RawIntake.Settings.from(config, validator, intakeMetrics), TopologySettings.from(config),
                windowMetrics);
    }

    /** Built here for the service, the benchmarks and TopologyTestDriver tests alike. */
    public static Topology buildTopology(RawIntake.Settings intake, TopologySettings windows, WindowMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        WindowedUtilization.addTo(builder, windows, metrics, RawIntake.addTo(builder, intake));
        return builder.build();
    }
}
