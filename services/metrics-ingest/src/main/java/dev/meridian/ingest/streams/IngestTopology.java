package dev.meridian.ingest.streams;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The service's one Kafka Streams topology: the intake of {@code meridian.metrics.raw.v1} (every door's samples;
 * rejects to the DLQ), then node windows, inventory and pool windows on the same task as each node's samples.
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
