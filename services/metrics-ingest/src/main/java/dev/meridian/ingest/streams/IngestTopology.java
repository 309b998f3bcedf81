package dev.meridian.ingest.streams;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The service's one Kafka Streams topology: the Kafka door (raw → node or DLQ), then node windows, inventory and
 * pool windows. The Kafka door hands the samples it validated on their node's task to the windowing directly; the
 * windowing reads the rest (the HTTP door's, mis-keyed raw records) from {@code meridian.metrics.node.v1}.
 */
public final class IngestTopology {

    private IngestTopology() {
    }

    /** Built here for the service, the benchmarks, the multi-region test and TopologyTestDriver tests alike. */
    public static Topology build(RawIntake.Settings intake, TopologySettings windows, WindowMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        WindowedUtilization.addTo(builder, windows, metrics, RawIntake.addTo(builder, intake));
        return builder.build();
    }
}
