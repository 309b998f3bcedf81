package dev.meridian.policy.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PoolWindowAggregateTest {

    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    private static final Instant END = Instant.parse("2026-11-27T10:00:10Z");

    @Test
    void averagesNodeResultsAndCountsSaturatedNodes() {
        PoolUtilization pool = PoolWindowAggregate.empty()
                .add(gpuNode("a", 40, 70, 50))
                .add(gpuNode("b", 96, 99, 90))
                .add(gpuNode("c", 20, 30, 10))
                .toUtilization(START, END, 4, 1);

        assertThat(pool.nodeCount()).isEqualTo(4);
        assertThat(pool.staleCount()).isEqualTo(1);
        assertThat(pool.saturatedCount()).isEqualTo(1);
        assertThat(pool.eligibleCount()).isEqualTo(2);
        assertThat(pool.gpuAvg()).isCloseTo(52.0, within(1e-9));
        assertThat(pool.gpuMax()).isEqualTo(99.0);
        assertThat(pool.cpuAvg()).isCloseTo(50.0, within(1e-9));
        assertThat(pool.gpuMemPeakPct()).isEqualTo(90.0);
    }

    @Test
    void edgePoolsSaturateOnCpuNotGpu() {
        PoolUtilization pool = PoolWindowAggregate.empty()
                .add(node("edge-1", Tier.EDGE_CPU, 0, 0, 97, 10))
                .add(node("edge-2", Tier.EDGE_CPU, 0, 0, 50, 10))
                .toUtilization(START, END, 2, 0);

        assertThat(pool.saturatedCount()).isEqualTo(1);
        assertThat(pool.eligibleCount()).isEqualTo(1);
        assertThat(pool.load()).isCloseTo(73.5, within(1e-9));
    }

    @Test
    void saturationStartsAtExactly95Percent() {
        assertThat(PoolWindowAggregate.isSaturated(gpuNode("a", 95.0, 95.0, 0))).isTrue();
        assertThat(PoolWindowAggregate.isSaturated(gpuNode("a", 94.99, 99.0, 0))).isFalse();
    }

    @Test
    void nodeCountNeverFallsBelowTheReportingNodes() {
        PoolUtilization pool = PoolWindowAggregate.empty().add(gpuNode("a", 10, 10, 0)).add(gpuNode("b", 10, 10, 0))
                .toUtilization(START, END, 1, 0);

        assertThat(pool.nodeCount()).isEqualTo(2);
    }

    @Test
    void emptyPoolWindowHasNoUtilization() {
        assertThatThrownBy(() -> PoolWindowAggregate.empty().toUtilization(START, END, 3, 3))
                .isInstanceOf(IllegalStateException.class);
    }

    private static NodeUtilization gpuNode(String id, double gpuAvg, double gpuMax, double memPeak) {
        return node(id, Tier.CORE_GPU, gpuAvg, gpuMax, 50, memPeak);
    }

    private static NodeUtilization node(String id, Tier tier, double gpuAvg, double gpuMax, double cpuAvg,
            double memPeak) {
        return new NodeUtilization(id, "eu-west", "eu-west-1a", "gpu-core", tier, "p5.48xlarge",
                CapacityType.ON_DEMAND, START, END, 10, gpuAvg, gpuMax, memPeak, cpuAvg, 40, 1e6, 2e6, null, null);
    }
}
