package dev.meridian.ingest.streams;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.NodeMetric;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Values of metrics.node as the windowing reads them: a sample the intake has already windowed (header
 * {@value RawIntake#WINDOWED_HEADER}) is read as null, without parsing its JSON, and the node stage skips it.
 */
final class NodeTopicSamples {

    private NodeTopicSamples() {
    }

    static Serde<NodeMetric> serde() {
        Serde<NodeMetric> json = ContractSerdes.nodeMetric();
        Deserializer<NodeMetric> parse = json.deserializer();
        return Serdes.serdeFrom(json.serializer(), new Deserializer<>() {

            @Override
            public NodeMetric deserialize(String topic, byte[] data) {
                return parse.deserialize(topic, data);
            }

            @Override
            public NodeMetric deserialize(String topic, Headers headers, byte[] data) {
                return headers != null && headers.lastHeader(RawIntake.WINDOWED_HEADER) != null
                        ? null
                        : parse.deserialize(topic, headers, data);
            }
        });
    }
}
