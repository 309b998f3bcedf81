package dev.meridian.policy.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeWindowAggregateTest {

    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private static final Instant END = Instant.parse("2026-11-27T10:00:10Z");

    @Test
    void averagesAndMaximaOverTheWindowsSamples() {
        NodeUtilization result = NodeWindowAggregate.empty()
                .add(sample("gpu-a", 40, 20_000, 30, null, null))
                .add(sample("gpu-a", 90, 60_000, 50, null, null))
                .add(sample("gpu-a", 20, 40_000, 10, null, null))
                .toUtilization(START, END);

        assertThat(result.sampleCount()).isEqualTo(3);
        assertThat(result.gpuAvg()).isCloseTo(50.0, within(1e-9));
        assertThat(result.gpuMax()).isEqualTo(90.0);
        // 60,000 of 80,000 MiB is the peak.
        assertThat(result.gpuMemPeakPct()).isCloseTo(75.0, within(1e-9));
        assertThat(result.cpuAvg()).isCloseTo(30.0, within(1e-9));
        assertThat(result.windowStart()).isEqualTo(START);
        assertThat(result.windowEnd()).isEqualTo(END);
    }

    @Test
    void maximumOfAllZeroSamplesIsZero() {
        NodeUtilization result = NodeWindowAggregate.empty()
                .add(sample("gpu-a", 0, 0, 0, null, null))
                .toUtilization(START, END);

        assertThat(result.gpuMax()).isZero();
        assertThat(result.gpuAvg()).isZero();
    }

    @Test
    void optionalSignalsAreAveragedOnlyOverTheSamplesThatCarryThem() {
        NodeUtilization result = NodeWindowAggregate.empty()
                .add(sample("gpu-a", 50, 1_000, 10, 4.0, 80.0))
                .add(sample("gpu-a", 50, 1_000, 10, null, null))
                .add(sample("gpu-a", 50, 1_000, 10, 8.0, null))
                .toUtilization(START, END);

        assertThat(result.queueDepthAvg()).isCloseTo(6.0, within(1e-9));
        assertThat(result.kvCacheAvg()).isCloseTo(80.0, within(1e-9));
    }

    @Test
    void optionalSignalsStayAbsentWhenNoSampleCarriesThem() {
        NodeUtilization result = NodeWindowAggregate.empty()
                .add(sample("gpu-a", 50, 1_000, 10, null, null))
                .toUtilization(START, END);

        assertThat(result.queueDepthAvg()).isNull();
        assertThat(result.kvCacheAvg()).isNull();
    }

    @Test
    void addingLeavesThePreviousAggregateUnchanged() {
        NodeWindowAggregate one = NodeWindowAggregate.empty().add(sample("gpu-a", 10, 1_000, 10, null, null));
        one.add(sample("gpu-a", 90, 1_000, 10, null, null));

        assertThat(one.sampleCount()).isEqualTo(1);
        assertThat(one.gpuMax()).isEqualTo(10.0);
        assertThat(NodeWindowAggregate.empty().isEmpty()).isTrue();
    }

    @Test
    void emptyWindowHasNoUtilization() {
        assertThatThrownBy(() -> NodeWindowAggregate.empty().toUtilization(START, END))
                .isInstanceOf(IllegalStateException.class);
    }

    private static NodeMetric sample(String nodeId, double gpuUtil, long memUsedMiB, double cpuUtil,
            Double queueDepth, Double kvCache) {
        return new NodeMetric(nodeId, "eu-west", "eu-west-1a", "gpu-core", Tier.CORE_GPU, "p5.48xlarge",
                CapacityType.ON_DEMAND, START.plusSeconds(1), 8, gpuUtil, memUsedMiB, 80_000, cpuUtil, 40, 1e6, 2e6,
                queueDepth, kvCache);
    }
}
