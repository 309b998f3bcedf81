package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.ScalingFixtures.LADDER;
import static dev.meridian.policy.scaling.ScalingFixtures.T0;
import static dev.meridian.policy.scaling.ScalingFixtures.gpuCore;
import static dev.meridian.policy.scaling.ScalingFixtures.node;
import static dev.meridian.policy.scaling.ScalingFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.ScalingFixtures.Timeline;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VerticalAndSpotTest {

    private static List<PoolNode> fourOf(String type) {
        return IntStream.rangeClosed(1, 4).mapToObj(i -> node("n-" + i, type, 50)).toList();
    }

    @Test
    void memoryAboveTheThresholdForTheSustainPeriodResizesToTheNextRungOnce() {
        Timeline pool = new Timeline(gpuCore(), fourOf(LADDER.get(0)));

        assertThat(pool.decide(window(0, 50, 97, null))).isEmpty();
        assertThat(pool.decide(window(1, 50, 97, null))).isEmpty();
        List<ScaleCommand> resize = pool.decide(window(2, 50, 97, null));

        assertThat(resize).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.RESIZE);
            assertThat(command.instanceType()).isEqualTo("g5.48xlarge");
            assertThat(command.targetInstanceType()).isEqualTo("p4d.24xlarge");
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.delta()).isZero();
            assertThat(command.reason()).startsWith("gpu memory peak 97 % > 95 % for 3 windows; resize g5.48xlarge");
        });
        // the resize is in flight: memory stays high, no second RESIZE
        for (int k = 3; k < 9; k++) {
            assertThat(pool.decide(window(k, 50, 97, null))).isEmpty();
        }

        // the pool now runs p4d: the next sustained pressure moves it to p5
        pool.nodes = fourOf(LADDER.get(1));
        for (int k = 9; k < 12; k++) {
            pool.decide(window(k, 50, 97, null));
        }
        assertThat(pool.all).extracting(ScaleCommand::targetInstanceType)
                .containsExactly("p4d.24xlarge", "p5.48xlarge");
    }

    @Test
    void atTheTopOfTheLadderMemoryPressureScalesOutByOne() {
        Timeline pool = new Timeline(gpuCore(), fourOf(LADDER.get(2)));

        for (int k = 0; k < 3; k++) {
            pool.decide(window(k, 50, 97, null));
        }

        assertThat(pool.all).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.desiredNodes()).isEqualTo(5);
            assertThat(command.reason()).contains("at the top of the ladder (p5.48xlarge): desired 4 + 1 = 5");
        });
        // one node is on its way: no second one while it is pending
        for (int k = 3; k < 12; k++) {
            pool.decide(window(k, 50, 97, null));
        }
        assertThat(pool.all).hasSize(1);
    }

    private static PoolConfig spotBatch(boolean fallback) {
        return new PoolConfig("us-east", "gpu-core", Tier.CORE_GPU, 0, 8, 0, LADDER, CapacityType.SPOT, fallback,
                Criticality.LOW, ScalingSettings.DEFAULTS);
    }

    private static List<PoolNode> spotNodes() {
        return IntStream.rangeClosed(1, 3)
                .mapToObj(i -> new PoolNode("s-" + i, LADDER.get(0), CapacityType.SPOT, NodeState.JOINED, false, 40.0))
                .toList();
    }

    @Test
    void anInterruptionDrainsTheNodeAtOnceAndReplacesItOnDemandWhenFallbackIsAllowed() {
        Timeline pool = new Timeline(spotBatch(true), spotNodes());
        // the budget gate does not hold back a replacement: it keeps the pool's size
        pool.budget = BudgetState.WARN;
        Instant notice = T0.plusSeconds(5);
        pool.interruptions = List.of(new Interruption("s-2", "us-east", "gpu-core", notice, notice.plusSeconds(120),
                "aws-spot-itn"));

        List<ScaleCommand> commands = pool.at(notice.plusSeconds(1));

        assertThat(commands).extracting(ScaleCommand::action).containsExactly(ScaleAction.DRAIN, ScaleAction.REPLACE);
        assertThat(commands.get(0)).satisfies(drain -> {
            assertThat(drain.commandId()).isEqualTo("us-east/gpu-core/DRAIN/s-2/2026-11-27T10:00:05Z");
            assertThat(drain.nodes()).containsExactly("s-2");
            assertThat(drain.currentNodes()).isEqualTo(3);
            assertThat(drain.desiredNodes()).isEqualTo(2);
            assertThat(drain.capacityType()).isEqualTo(CapacityType.SPOT);
        });
        assertThat(commands.get(1)).satisfies(replace -> {
            assertThat(replace.nodes()).containsExactly("s-2");
            assertThat(replace.capacityType()).isEqualTo(CapacityType.ON_DEMAND);
            assertThat(replace.currentNodes()).isEqualTo(2);
            assertThat(replace.desiredNodes()).isEqualTo(3);
            assertThat(replace.urgency()).isEqualTo(Criticality.LOW);
            assertThat(replace.budgetState()).isEqualTo(BudgetState.WARN);
        });
        assertThat(pool.state.pendingServing()).isEqualTo(1);

        // the same notice again changes nothing
        assertThat(pool.at(notice.plusSeconds(2))).isEmpty();
        // SCALE_IN at the earlier of drain end (T0 + 6 + 60 = T0 + 66 s) and the reclaim (T0 + 125 s)
        assertThat(pool.at(T0.plusSeconds(65))).isEmpty();
        assertThat(pool.at(T0.plusSeconds(66))).singleElement().satisfies(scaleIn -> {
            assertThat(scaleIn.action()).isEqualTo(ScaleAction.SCALE_IN);
            assertThat(scaleIn.nodes()).containsExactly("s-2");
        });
    }

    @Test
    void theDrainAndReplacementOfAnInterruptedWarmNodeAreForTheWarmPool() {
        List<PoolNode> nodes = new java.util.ArrayList<>(spotNodes());
        nodes.add(new PoolNode("w-1", LADDER.get(0), CapacityType.SPOT, NodeState.JOINED, true, 0.0));
        Timeline pool = new Timeline(spotBatch(false), nodes);
        pool.interruptions = List.of(new Interruption("w-1", "us-east", "gpu-core", T0, T0.plusSeconds(120), "sim"),
                new Interruption("s-1", "us-east", "gpu-core", T0, T0.plusSeconds(120), "sim"));

        List<ScaleCommand> commands = pool.at(T0);

        assertThat(commands).extracting(ScaleCommand::action, c -> c.nodes().get(0), ScaleCommand::purpose)
                .containsExactly(tuple(ScaleAction.DRAIN, "s-1", ScalePurpose.SERVE),
                        tuple(ScaleAction.REPLACE, "s-1", ScalePurpose.SERVE),
                        tuple(ScaleAction.DRAIN, "w-1", ScalePurpose.WARM_POOL),
                        tuple(ScaleAction.REPLACE, "w-1", ScalePurpose.WARM_POOL));
    }

    @Test
    void withoutFallbackTheReplacementIsSpotAgain() {
        Timeline pool = new Timeline(spotBatch(false), spotNodes());
        pool.interruptions = List.of(new Interruption("s-1", "us-east", "gpu-core", T0, T0.plusSeconds(120), "sim"));

        List<ScaleCommand> commands = pool.at(T0);

        assertThat(commands).filteredOn(c -> c.action() == ScaleAction.REPLACE).singleElement()
                .extracting(ScaleCommand::capacityType).isEqualTo(CapacityType.SPOT);
    }

    @Test
    void anInterruptionOfANodeThatAlreadyLeftIsIgnored() {
        Timeline pool = new Timeline(spotBatch(true), List.of(
                new PoolNode("s-1", LADDER.get(0), CapacityType.SPOT, NodeState.LEFT, false, null)));
        pool.interruptions = List.of(new Interruption("s-1", "us-east", "gpu-core", T0, T0.plusSeconds(120), "sim"));

        assertThat(pool.at(T0)).isEmpty();
    }

    @Test
    void theReplacementArrivingFulfilsTheRequest() {
        Timeline pool = new Timeline(spotBatch(true), spotNodes());
        pool.interruptions = List.of(new Interruption("s-3", "us-east", "gpu-core", T0, T0.plusSeconds(120), "sim"));
        pool.at(T0);

        pool.nodes = new java.util.ArrayList<>(pool.nodes);
        pool.nodes.add(node("od-1", LADDER.get(0), 0));
        pool.at(T0.plusSeconds(30));

        assertThat(pool.state.pending()).isEmpty();
    }
}
