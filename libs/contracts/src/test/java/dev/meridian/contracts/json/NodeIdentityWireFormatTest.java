package dev.meridian.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records that carry a node's identity ({@code NodeRef}) keep it flat on the wire: each document below is
 * written by hand as producers send it, and reads into its record and writes back as the same JSON — same
 * properties, same order, no {@code ref} object. Uses only the records' JSON components, so it runs unchanged
 * against the records from before {@code NodeRef}.
 */
class NodeIdentityWireFormatTest {

    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of(FleetNode.class, """
                        {"nodeId": "gpu-use1-0001", "region": "us-east", "zone": "US", "pool": "inference-a100",
                         "tier": "CORE_GPU", "instanceType": "p4d.24xlarge", "capacityType": "ON_DEMAND",
                         "state": "JOINED", "since": "2026-11-27T12:00:00Z", "lastSeen": "2026-11-27T13:00:00Z"}
                        """),
                Arguments.of(NodeMetric.class, """
                        {"nodeId": "gpu-use1-0001", "region": "us-east", "zone": "US", "pool": "inference-a100",
                         "tier": "CORE_GPU", "instanceType": "p4d.24xlarge", "capacityType": "ON_DEMAND",
                         "timestamp": "2026-11-27T13:00:00Z", "gpuCount": 8, "gpuUtil": 72.5,
                         "gpuMemUsedMiB": 61440, "gpuMemTotalMiB": 81920, "cpuUtil": 35.0, "memUtil": 61.0,
                         "netRxBytesPerSec": 1250000.0, "netTxBytesPerSec": 850000.0,
                         "queueDepth": 12.0, "kvCacheUtil": 55.5}
                        """),
                Arguments.of(NodeMetric.class, """
                        {"nodeId": "edge-euw1-0003", "region": "eu-west", "zone": "EU", "pool": "edge-c7g",
                         "tier": "EDGE_CPU", "instanceType": "c7g.2xlarge", "capacityType": "SPOT",
                         "timestamp": "2026-11-27T13:00:00.250Z", "gpuCount": 0, "gpuUtil": 0.0,
                         "gpuMemUsedMiB": 0, "gpuMemTotalMiB": 0, "cpuUtil": 41.5, "memUtil": 20.0,
                         "netRxBytesPerSec": 0.0, "netTxBytesPerSec": 512.0}
                        """),
                Arguments.of(NodeUtilization.class, """
                        {"nodeId": "gpu-use1-0001", "region": "us-east", "zone": "US", "pool": "inference-a100",
                         "tier": "CORE_GPU", "instanceType": "p4d.24xlarge", "capacityType": "ON_DEMAND",
                         "windowStart": "2026-11-27T13:00:00Z", "windowEnd": "2026-11-27T13:00:10Z",
                         "sampleCount": 10, "gpuAvg": 72.5, "gpuMax": 91.0, "gpuMemPeakPct": 88.2, "cpuAvg": 35.0,
                         "memAvg": 61.0, "netRxAvg": 1200000.0, "netTxAvg": 850000.0,
                         "queueDepthAvg": 14.0, "kvCacheAvg": 55.5}
                        """),
                Arguments.of(NodeUtilization.class, """
                        {"nodeId": "edge-euw1-0003", "region": "eu-west", "zone": "EU", "pool": "edge-c7g",
                         "tier": "EDGE_CPU", "instanceType": "c7g.2xlarge", "capacityType": "SPOT",
                         "windowStart": "2026-11-27T13:00:00Z", "windowEnd": "2026-11-27T13:00:10Z",
                         "sampleCount": 0, "gpuAvg": 0.0, "gpuMax": 0.0, "gpuMemPeakPct": 0.0, "cpuAvg": 41.5,
                         "memAvg": 20.0, "netRxAvg": 0.0, "netTxAvg": 512.0}
                        """));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("documents")
    void readsAndWritesBackTheSameFlatDocument(Class<?> type, String document) {
        ObjectNode expected = JsonTrees.parse(document);

        String written = ContractJson.writeString(ContractJson.read(document, type));

        assertThat(JsonTrees.parse(written)).isEqualTo(expected);
        // Tree equality ignores the order of properties; the bytes do not.
        assertThat(written).isEqualTo(expected.toString());
    }
}
