package dev.meridian.contracts.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.validation.Violation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeMetricTest {

    private static final NodeMetric SAMPLE = ContractSamples.nodeMetric();

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "gpuUtil          | 4294967295        | range      | gpuUtil must be within 0..100, was 4294967295",
            "gpuMemUsedMiB    | 90000             | exceeds    | gpuMemUsedMiB must not exceed gpuMemTotalMiB (81920), was 90000",
            "nodeId           | '\"   \"'         | blank      | nodeId must not be blank",
            "cpuUtil          | NaN               | finite     | cpuUtil must be finite, was NaN",
            "netRxBytesPerSec | -1                | negative   | netRxBytesPerSec must not be negative, was -1.0",
            "gpuCount         | -2                | negative   | gpuCount must not be negative, was -2",
            "kvCacheUtil      | 100.5             | range      | kvCacheUtil must be within 0..100, was 100.5",
            "queueDepth       | -Infinity         | finite     | queueDepth must be finite, was -Infinity",
    })
    void rejectsCorruptSampleWithAClearMessage(String field, String json, String rule, String message) {
        NodeMetric corrupt = JsonTrees.with(SAMPLE, field, json);

        assertThat(corrupt.violations()).containsExactly(new Violation(field, rule, message));
    }

    @Test
    void rejectsSampleWithCorruptGpuValue() {
        NodeMetric corrupt = JsonTrees.with(SAMPLE, "gpuUtil", "4294967295");

        assertThat(corrupt.violations()).extracting(Violation::message)
                .containsExactly("gpuUtil must be within 0..100, was 4294967295");
    }

    @Test
    void rejectsOverlongNodeId() {
        NodeMetric corrupt = JsonTrees.with(SAMPLE, "nodeId", "\"" + "n".repeat(300) + "\"");

        assertThat(corrupt.violations()).extracting(Violation::message)
                .containsExactly("nodeId must be at most 128 characters, was 300");
    }

    @Test
    void acceptsCpuOnlyNodeWithoutOptionalInferenceMetrics() {
        NodeMetric edge = JsonTrees.with(JsonTrees.with(JsonTrees.with(SAMPLE, "gpuCount", "0"), "gpuMemUsedMiB", "0"),
                "gpuMemTotalMiB", "0");
        NodeMetric bare = JsonTrees.with(JsonTrees.with(edge, "queueDepth", "null"), "kvCacheUtil", "null");

        assertThat(bare.queueDepth()).isNull();
        assertThat(bare.violations()).isEmpty();
    }

    @Test
    void rejectsSampleStampedTooFarInTheFutureAsClockSkew() {
        assertThat(SAMPLE.violationsAt(SAMPLE.timestamp().minusMillis(12_300), NodeMetric.DEFAULT_MAX_CLOCK_SKEW))
                .containsExactly(new Violation("timestamp", "clock skew",
                        "timestamp is 12.3 s in the future (max 5 s): clock skew"));
        assertThat(SAMPLE.violationsAt(SAMPLE.timestamp().minusSeconds(5), Duration.ofSeconds(5))).isEmpty();
    }
}
