package dev.meridian.fleetsim.model;

import static dev.meridian.fleetsim.model.Fleets.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.scaling.ScaleAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FleetModelTest {

    private static final Instant T0 = Instant.parse("2026-11-16T18:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final FleetModel model = new FleetModel(CapacityTable.defaults(), Delays.REAL_CLOUD,
            SpotInterruptions.NONE, new Random(1));

    @Test
    void utilizationIsTheNodesShareOfTheTrafficOverItsCapacity() {
        model.adopt(Fleets.gpuRegions(2, "us-east"), T0);

        Step step = model.step(T0, SECOND, Map.of("us-east", 4_000.0));

        // 4,000 tokens/s over two nodes of 5,000 tokens/s: 2,000 / 5,000 = 40 % each
        assertThat(step.utilization()).containsOnlyKeys("us-east-gpu-0001", "us-east-gpu-0002");
        assertThat(step.utilization().values()).allSatisfy(load -> assertThat(load).isCloseTo(40.0, within(1e-9)));
        NodeMetric sample = step.samples().get(0);
        assertThat(sample.timestamp()).isEqualTo(T0);
        assertThat(sample.gpuUtil()).isCloseTo(40.0, within(1e-9));
        assertThat(sample.gpuCount()).isEqualTo(8);
        assertThat(sample.violations()).isEmpty();
        assertThat(step.overloadNodeSeconds()).isZero();
    }

    @Test
    void publishedRegionWeightsSplitTheClientsTraffic() {
        model.adopt(Fleets.gpuRegions(2, "us-east", "us-west"), T0);
        // us-east clients: weights 1 : 3 (not normalised) to us-east : us-west
        model.weights(weights("us-east", List.of(new RegionWeight("us-east", 1, 2, 0, 1.5),
                new RegionWeight("us-west", 3, 2, 0, 86.98)), List.of()));

        Step step = model.step(T0, SECOND, Map.of("us-east", 4_000.0));

        // us-east: 4,000 × 1/4 = 1,000 over 2 nodes = 500 / 5,000 = 10 %; us-west: 3,000 / 2 / 5,000 = 30 %
        assertThat(step.utilization().get("us-east-gpu-0001")).isCloseTo(10.0, within(1e-9));
        assertThat(step.utilization().get("us-west-gpu-0002")).isCloseTo(30.0, within(1e-9));
    }

    @Test
    void nodeWeightsSplitARegionsShare() {
        model.adopt(Fleets.gpuRegions(2, "us-east"), T0);
        model.weights(weights("us-east", List.of(new RegionWeight("us-east", 1, 2, 0, 1.5)),
                List.of(new NodeWeight("us-east-gpu-0001", "us-east", "gpu", 0.75, 0),
                        new NodeWeight("us-east-gpu-0002", "us-east", "gpu", 0.25, 0))));

        Step step = model.step(T0, SECOND, Map.of("us-east", 4_000.0));

        // 3,000 / 5,000 = 60 % and 1,000 / 5,000 = 20 %
        assertThat(step.utilization().get("us-east-gpu-0001")).isCloseTo(60.0, within(1e-9));
        assertThat(step.utilization().get("us-east-gpu-0002")).isCloseTo(20.0, within(1e-9));
    }

    @Test
    void aColdScaleOutJoinsAfterTheCompressedDelay() {
        // 85 s in a real cloud, compressed 17×: 5 s
        FleetModel fast = new FleetModel(CapacityTable.defaults(), Delays.REAL_CLOUD.compressed(17),
                SpotInterruptions.NONE, new Random(1));
        fast.adopt(Fleets.gpuRegions(2, "us-east"), T0);

        assertThat(fast.apply(command("c1", "us-east", ScaleAction.SCALE_OUT, 2, 3, List.of()), T0)).isTrue();

        assertThat(nodeIds(fast.step(T0.plusSeconds(4), SECOND, Map.of()))).doesNotContain("us-east-gpu-0003");
        assertThat(fast.pendingProvisions()).isEqualTo(1);
        Step joined = fast.step(T0.plusSeconds(5), SECOND, Map.of("us-east", 6_000.0));
        assertThat(nodeIds(joined)).contains("us-east-gpu-0003");
        // three nodes share the traffic now: 6,000 / 3 / 5,000 = 40 %
        assertThat(joined.utilization().get("us-east-gpu-0003")).isCloseTo(40.0, within(1e-9));
    }

    @Test
    void aWarmRefillWaitsIdleUntilActivated() {
        model.adopt(Fleets.gpuRegions(1, "us-east"), T0);
        model.apply(Fleets.warmRefill("us-east/gpu/SCALE_OUT/warm/2026-11-16T18:00:00Z", "us-east", 0, 1), T0);

        Step arrived = model.step(T0.plusSeconds(85), SECOND, Map.of("us-east", 4_000.0));
        assertThat(arrived.utilization().get("us-east-gpu-0002")).isZero();
        assertThat(arrived.utilization().get("us-east-gpu-0001")).isCloseTo(80.0, within(1e-9));

        model.apply(command("a1", "us-east", ScaleAction.ACTIVATE_WARM, 1, 2, List.of("us-east-gpu-0002")),
                T0.plusSeconds(90));
        // warm delay 10 s: still idle at +99 s, serving at +100 s (4,000 / 2 / 5,000 = 40 %)
        assertThat(model.step(T0.plusSeconds(99), SECOND, Map.of("us-east", 4_000.0)).utilization()
                .get("us-east-gpu-0002")).isZero();
        assertThat(model.step(T0.plusSeconds(100), SECOND, Map.of("us-east", 4_000.0)).utilization()
                .get("us-east-gpu-0002")).isCloseTo(40.0, within(1e-9));
    }

    @Test
    void aDrainedNodeTakesNoTrafficButKeepsReporting() {
        model.adopt(Fleets.gpuRegions(2, "us-east"), T0);
        model.apply(command("d1", "us-east", ScaleAction.DRAIN, 2, 1, List.of("us-east-gpu-0001")), T0);

        Step step = model.step(T0, SECOND, Map.of("us-east", 4_000.0));

        assertThat(step.utilization().get("us-east-gpu-0001")).isZero();
        assertThat(step.utilization().get("us-east-gpu-0002")).isCloseTo(80.0, within(1e-9));
        assertThat(model.counts().get("us-east/gpu")).isEqualTo(new PoolCounts(1, 0, 1, 0));
    }

    @Test
    void scaleInRemovesTheNamedNodes() {
        model.adopt(Fleets.gpuRegions(3, "us-east"), T0);
        model.apply(command("s1", "us-east", ScaleAction.SCALE_IN, 3, 2, List.of("us-east-gpu-0002")), T0);

        Step step = model.step(T0, SECOND, Map.of("us-east", 4_000.0));

        assertThat(nodeIds(step)).containsExactlyInAnyOrder("us-east-gpu-0001", "us-east-gpu-0003");
        assertThat(step.utilization().get("us-east-gpu-0001")).isCloseTo(40.0, within(1e-9));
        assertThat(model.counts().get("us-east/gpu").serving()).isEqualTo(2);
    }

    @Test
    void aRepeatedCommandIsAppliedOnceAndDeferredChangesNothing() {
        model.adopt(Fleets.gpuRegions(1, "us-east"), T0);

        assertThat(model.apply(command("c1", "us-east", ScaleAction.SCALE_OUT, 1, 3, List.of()), T0)).isTrue();
        assertThat(model.apply(command("c1", "us-east", ScaleAction.SCALE_OUT, 1, 3, List.of()), T0)).isFalse();
        assertThat(model.pendingProvisions()).isEqualTo(2);
        assertThat(model.apply(command("c2", "nowhere", ScaleAction.SCALE_OUT, 1, 3, List.of()), T0)).isFalse();
    }

    @Test
    void resizeSwitchesThePoolsTypeAfterTheColdDelay() {
        model.adopt(Fleets.gpuRegions(1, "us-east"), T0);
        model.apply(command("r1", "us-east", ScaleAction.RESIZE, 1, 1, List.of()), T0);

        Step before = model.step(T0.plusSeconds(84), SECOND, Map.of("us-east", 3_000.0));
        assertThat(before.samples().get(0).instanceType()).isEqualTo("g5.48xlarge");
        assertThat(before.utilization().get("us-east-gpu-0001")).isCloseTo(60.0, within(1e-9));
        Step resized = model.step(T0.plusSeconds(85), SECOND, Map.of("us-east", 3_000.0));
        // p4d.24xlarge serves 12,000 tokens/s: 3,000 / 12,000 = 25 %
        assertThat(resized.samples().get(0).instanceType()).isEqualTo("p4d.24xlarge");
        assertThat(resized.utilization().get("us-east-gpu-0001")).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void excessWorkQueuesAndOverloadIsCounted() {
        model.adopt(Fleets.gpuRegions(2, "us-east"), T0);

        // 12,000 tokens/s on 10,000 of capacity: both nodes at 100 %, 1,000 tokens/s each wait
        Step first = model.step(T0, SECOND, Map.of("us-east", 12_000.0));
        assertThat(first.overloadNodeSeconds()).isEqualTo(2.0);
        assertThat(first.samples().get(0).queueDepth()).isCloseTo(1.0, within(1e-9));
        // the backlog holds 30 s of capacity (150,000 tokens): after 150 s it is full, and the excess is dropped
        Step last = null;
        for (int s = 1; s <= 150; s++) {
            last = model.step(T0.plusSeconds(s), SECOND, Map.of("us-east", 12_000.0));
        }
        assertThat(model.node("us-east-gpu-0001").backlog()).isEqualTo(150_000.0);
        assertThat(last.dropped(Tier.CORE_GPU)).isCloseTo(2 * 1_000.0, within(1e-6));
    }

    @Test
    void trafficWithoutAServingNodeIsDropped() {
        model.adopt(Fleets.gpuRegions(1, "us-east"), T0);

        Step step = model.step(T0, SECOND, Map.of("us-west", 500.0));

        assertThat(step.dropped(Tier.CORE_GPU)).isEqualTo(500.0);
        // no edge pool at all: every token also misses its edge node
        assertThat(step.dropped(Tier.EDGE_CPU)).isEqualTo(500.0);
    }

    private static RoutingWeights weights(String client, List<RegionWeight> regions, List<NodeWeight> nodes) {
        return new RoutingWeights(client, 1, T0, false, List.of(new TierTable(Tier.CORE_GPU, regions, nodes, null)),
                List.of());
    }

    private static List<String> nodeIds(Step step) {
        return step.samples().stream().map(NodeMetric::nodeId).collect(Collectors.toList());
    }
}
