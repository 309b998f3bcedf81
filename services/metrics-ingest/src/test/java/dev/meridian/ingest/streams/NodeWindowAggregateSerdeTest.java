package dev.meridian.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.policy.window.NodeWindowAggregate;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class NodeWindowAggregateSerdeTest {

    private final Serde<NodeWindowAggregate> serde = NodeWindowAggregateSerde.create();

    @Test
    void roundTripsEveryFieldIncludingOptionalSignalCounts() {
        NodeWindowAggregate aggregate = NodeWindowAggregate.empty()
                .add(sample(12.5, 3.0, 0.75))
                .add(sample(87.25, null, null));

        byte[] bytes = serde.serializer().serialize("t", aggregate);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(aggregate);
    }

    @Test
    void refusesBytesOfAnUnknownFormatVersion() {
        byte[] bytes = serde.serializer().serialize("t", NodeWindowAggregate.empty().add(sample(1, null, null)));
        bytes[0] = 9;

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
                .hasMessageContaining("unknown window aggregate format 9");
    }

    private static NodeMetric sample(double gpu, Double queue, Double kv) {
        return new NodeMetric("node-ü", "eu-west", "eu-west-1a", "gpu-core", Tier.EDGE_CPU, "c7i.4xlarge",
                CapacityType.SPOT, Instant.parse("2026-11-27T10:00:01Z"), 0, gpu, 10, 100, 20, 30, 1e6, 2e6, queue,
                kv);
    }
}
