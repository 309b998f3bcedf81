package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.ScalingFixtures.LADDER;
import static dev.meridian.policy.scaling.ScalingFixtures.T0;
import static dev.meridian.policy.scaling.ScalingFixtures.gpuCore;
import static dev.meridian.policy.scaling.ScalingFixtures.node;
import static dev.meridian.policy.scaling.ScalingFixtures.pool;
import static dev.meridian.policy.scaling.ScalingFixtures.serving;
import static dev.meridian.policy.scaling.ScalingFixtures.warmNode;
import static dev.meridian.policy.scaling.ScalingFixtures.window;
import static dev.meridian.policy.scaling.ScalingFixtures.windowEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.ScalingFixtures.Timeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScaleOutTest {

    @Test
    void scalesOutAfterExactlyTheSustainPeriodAndNotOneWindowEarlier() {
        Timeline pool = new Timeline(gpuCore(), serving(4));

        assertThat(pool.window(0, 87.5)).isEmpty();
        assertThat(pool.window(1, 87.5)).as("two hot windows are one short of the sustain period").isEmpty();
        List<ScaleCommand> commands = pool.window(2, 87.5);

        // ceil(4 × 87.5 / 60) = ceil(350 / 60) = ceil(5.83) = 6
        assertThat(commands).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z");
            assertThat(command.triggerWindowEnd()).isEqualTo(windowEnd(2));
            assertThat(command.issuedAt()).isEqualTo(windowEnd(2).plusSeconds(1));
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.desiredNodes()).isEqualTo(6);
            assertThat(command.delta()).isEqualTo(2);
            assertThat(command.reason()).startsWith("gpu 87.5 % > 80 % for 3 windows; desired ceil(4 × 87.5 / 60) = 6");
            assertThat(command.urgency()).isEqualTo(Criticality.CRITICAL);
            assertThat(command.budgetState()).isEqualTo(BudgetState.OK);
            assertThat(command.capacityType()).isEqualTo(CapacityType.ON_DEMAND);
            assertThat(command.instanceType()).isEqualTo("g5.48xlarge");
            assertThat(command.nodes()).isEmpty();
            assertThat(command.overBudget()).isFalse();
        });
    }

    @Test
    void exactlyAtTheThresholdIsNotAbove() {
        Timeline pool = new Timeline(gpuCore(), serving(4));

        assertThat(pool.windows(0, 20, 80.0)).isEmpty();
    }

    @ParameterizedTest(name = "{0} ready at {1} % -> {2}")
    @CsvSource({
            // 4 × 90 / 60 = 6 exactly: no rounding up past an exact value
            "4, 90, 6",
            // 3 × 81 / 60 = 4.05 -> 5
            "3, 81, 5",
            // 2 × 100 / 60 = 3.33 -> 4
            "2, 100, 4",
            // 6 × 80.5 / 60 = 8.05 -> 9
            "6, 80.5, 9",
            // 10 × 84 / 60 = 14 exactly
            "10, 84, 14",
            // 7 × 96 / 60 = 11.2 -> 12
            "7, 96, 12"})
    void desiredFollowsTheHpaFormula(int ready, double load, int desired) {
        Timeline pool = new Timeline(pool(2, 100, 0, Criticality.CRITICAL,
                ScalingSettings.DEFAULTS.withMaxStep(100)), serving(ready));

        List<ScaleCommand> commands = pool.windows(0, 2, load);

        assertThat(commands).singleElement().satisfies(command -> {
            assertThat(command.currentNodes()).isEqualTo(ready);
            assertThat(command.desiredNodes()).isEqualTo(desired);
        });
    }

    @Test
    void desiredIsBoundedByTheStepLimit() {
        Timeline pool = new Timeline(gpuCore(), serving(10));

        // ceil(10 × 95 / 60) = ceil(15.83) = 16, but at most 10 + 4 = 14
        assertThat(pool.windows(0, 2, 95)).singleElement().satisfies(command -> {
            assertThat(command.desiredNodes()).isEqualTo(14);
            assertThat(command.reason()).contains("= 16").contains("bounded by step 4 to 14");
        });
    }

    @Test
    void desiredIsBoundedByMax() {
        Timeline pool = new Timeline(pool(2, 12, 0, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(10));

        // min(16, max 12, step 10 + 4 = 14) = 12
        assertThat(pool.windows(0, 2, 95)).singleElement().satisfies(command -> {
            assertThat(command.desiredNodes()).isEqualTo(12);
            assertThat(command.reason()).contains("bounded by max 12 to 12");
        });
    }

    @Test
    void aPoolAtMaxAsksForNothing() {
        Timeline pool = new Timeline(pool(2, 4, 0, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(4));

        assertThat(pool.windows(0, 10, 99)).isEmpty();
    }

    @Test
    void aMissingWindowRestartsTheSustainCount() {
        Timeline pool = new Timeline(gpuCore(), serving(4));

        pool.window(0, 90);
        pool.window(1, 90);
        // window 2 never arrived: window 3 does not continue the streak
        assertThat(pool.window(3, 90)).isEmpty();
        assertThat(pool.window(4, 90)).isEmpty();
        assertThat(pool.window(5, 90)).hasSize(1);
    }

    @Test
    void pendingCapacitySuppressesARepeatDuringTheColdStartAndExpiresAfterTheProvisioningTimeout() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        pool.windows(0, 2, 87.5);
        assertThat(pool.state.pendingServing()).isEqualTo(2);
        // requested at T0 + 31 s, so given up at T0 + 331 s
        assertThat(pool.last.nextCheckAt()).isEqualTo(T0.plusSeconds(331));

        // the 4 ready nodes stay at 87.5 %: need ceil(4 × 87.5 / 60) = 6 = 4 ready + 2 pending, nothing to add.
        // Window 31 is decided at T0 + 321 s, still inside the timeout.
        assertThat(pool.windows(3, 31, 87.5)).isEmpty();

        // window 32 is decided at T0 + 331 s: the request expired, current is 4 again, and the hot streak (since
        // window 3) is long enough
        assertThat(pool.window(32, 87.5)).singleElement().satisfies(command -> {
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/2026-11-27T10:05:30Z");
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.desiredNodes()).isEqualTo(6);
        });
    }

    @Test
    void arrivalsCountDownThePendingRequest() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        pool.windows(0, 2, 87.5);

        pool.nodes.add(node("n-05"));
        pool.window(3, 87.5);
        assertThat(pool.state.pendingServing()).isEqualTo(1);
        pool.nodes.add(node("n-06"));
        pool.window(4, 87.5);
        assertThat(pool.state.pendingServing()).isZero();
        assertThat(pool.state.pending()).isEmpty();
    }

    @Test
    void loadBeyondWhatIsPendingAsksOnlyForTheDifference() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        pool.windows(0, 2, 87.5);

        // ceil(4 × 99 / 60) = ceil(6.6) = 7 against current 4 ready + 2 pending = 6
        List<ScaleCommand> more = pool.windows(3, 5, 99);

        assertThat(more).singleElement().satisfies(command -> {
            assertThat(command.currentNodes()).isEqualTo(6);
            assertThat(command.desiredNodes()).isEqualTo(7);
            assertThat(command.reason()).contains("current 6 (4 ready + 2 pending)");
        });
    }

    @Test
    void warmNodesAreActivatedFirstThenTheRestProvisionedAndTheWarmPoolRefilled() {
        List<PoolNode> nodes = new ArrayList<>(serving(4, 95));
        nodes.add(warmNode("w-2", 0));
        nodes.add(warmNode("w-1", 0));
        Timeline pool = new Timeline(pool(2, 16, 2, Criticality.CRITICAL, ScalingSettings.DEFAULTS), nodes);

        // the pool window averages the warm nodes in: (4 × 95 + 2 × 0) / 6 = 63.33 %; the serving nodes are at 95 %
        assertThat(pool.windows(0, 1, 63.33)).isEmpty();
        List<ScaleCommand> commands = pool.window(2, 63.33);

        // ceil(4 × 95 / 60) = ceil(6.33) = 7: 2 warm (4 -> 6), then 1 provisioned (6 -> 7), then the warm pool
        // refilled from 0 to 2 (room under max: 16 - 7 - 0 = 9)
        assertThat(commands).extracting(ScaleCommand::action)
                .containsExactly(ScaleAction.ACTIVATE_WARM, ScaleAction.SCALE_OUT, ScaleAction.SCALE_OUT);
        assertThat(commands.get(0)).satisfies(activate -> {
            assertThat(activate.nodes()).containsExactly("w-1", "w-2");
            assertThat(activate.currentNodes()).isEqualTo(4);
            assertThat(activate.desiredNodes()).isEqualTo(6);
        });
        assertThat(commands.get(1)).satisfies(provision -> {
            assertThat(provision.currentNodes()).isEqualTo(6);
            assertThat(provision.desiredNodes()).isEqualTo(7);
        });
        assertThat(commands.get(2)).satisfies(refill -> {
            assertThat(refill.commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/warm/2026-11-27T10:00:30Z");
            assertThat(refill.currentNodes()).isZero();
            assertThat(refill.desiredNodes()).isEqualTo(2);
        });
        assertThat(pool.state.pendingServing()).isEqualTo(1);
        assertThat(pool.state.pendingWarm()).isEqualTo(2);

        // the inventory still marks w-1 and w-2 warm: they are serving now and never activated twice
        assertThat(pool.windows(3, 5, 95)).extracting(ScaleCommand::action).doesNotContain(ScaleAction.ACTIVATE_WARM);
        assertThat(pool.state.activatedWarm()).containsExactly("w-1", "w-2");
    }

    @Test
    void theWarmRefillSaysItIsForTheWarmPoolAndEveryOtherGrowthServes() {
        List<PoolNode> nodes = new ArrayList<>(serving(4, 95));
        nodes.add(warmNode("w-1", 0));
        Timeline pool = new Timeline(pool(2, 16, 2, Criticality.CRITICAL, ScalingSettings.DEFAULTS), nodes);

        List<ScaleCommand> commands = pool.windows(0, 2, 76);

        assertThat(commands).extracting(ScaleCommand::action, ScaleCommand::purpose).containsExactly(
                tuple(ScaleAction.SCALE_OUT, ScalePurpose.WARM_POOL),
                tuple(ScaleAction.ACTIVATE_WARM, ScalePurpose.SERVE),
                tuple(ScaleAction.SCALE_OUT, ScalePurpose.SERVE),
                tuple(ScaleAction.SCALE_OUT, ScalePurpose.WARM_POOL));
        assertThat(commands.get(2).commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z");
        assertThat(commands.get(3).commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/warm/2026-11-27T10:00:30Z");
    }

    @Test
    void aWarmRefillWhoseIdIsAUuidStillSaysItIsForTheWarmPool() {
        String longName = "gpu-core-" + "x".repeat(100);
        PoolConfig config = new PoolConfig("us-east", longName, Tier.CORE_GPU, 2, 16, 1, LADDER,
                CapacityType.ON_DEMAND, false, Criticality.CRITICAL, ScalingSettings.DEFAULTS);
        Timeline pool = new Timeline(config, serving(4));

        List<ScaleCommand> commands = pool.decide(new PoolUtilization("us-east", longName, Tier.CORE_GPU, T0,
                windowEnd(0), 4, 4, 0, 0, 50, 53, 20, 50, null, null));

        assertThat(commands).singleElement().satisfies(refill -> {
            assertThat(refill.commandId()).doesNotContain("/warm/").hasSize(36);
            assertThat(refill.purpose()).isEqualTo(ScalePurpose.WARM_POOL);
        });
    }

    @Test
    void aNodeArrivingForTheWarmRefillIsWarmWithoutAnInventoryMark() {
        // an empty warm pool of 1 and a quiet pool: the first window asks for one warm node
        Timeline pool = new Timeline(pool(2, 16, 1, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(4));
        assertThat(pool.window(0, 50)).singleElement().satisfies(refill -> {
            assertThat(refill.commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/warm/2026-11-27T10:00:10Z");
            assertThat(refill.delta()).isEqualTo(1);
        });

        // it arrives unmarked (inventories know nothing of warm pools): no serving capacity was pending, so it
        // fulfils the warm request and is warm
        pool.nodes.add(node("n-05"));
        assertThat(pool.window(1, 50)).isEmpty();
        assertThat(pool.state.warmNodes()).containsExactly("n-05");
        assertThat(pool.state.pendingWarm()).isZero();

        // the serving nodes at 90 %, n-05 idle: the pool window averages (4 × 90 + 0) / 5 = 72 %
        pool.nodes = new ArrayList<>(serving(4, 90));
        pool.nodes.add(node("n-05", LADDER.get(0), 0));
        // hot for 3 windows at 90 % on the serving nodes: ceil(4 × 90 / 60) = 6 → activate n-05 (4 -> 5),
        // provision 1 (5 -> 6), refill 1
        assertThat(pool.windows(2, 3, 72)).isEmpty();
        List<ScaleCommand> commands = pool.window(4, 72);
        assertThat(commands).extracting(ScaleCommand::action)
                .containsExactly(ScaleAction.ACTIVATE_WARM, ScaleAction.SCALE_OUT, ScaleAction.SCALE_OUT);
        assertThat(commands.get(0).nodes()).containsExactly("n-05");
        assertThat(commands.get(0).currentNodes()).isEqualTo(4);
        assertThat(commands.get(1).currentNodes()).isEqualTo(5);
        assertThat(pool.state.warmNodes()).isEmpty();
    }

    @Test
    void onlyAsManyWarmNodesAsNeededAreActivated() {
        List<PoolNode> nodes = new ArrayList<>(serving(4, 87.5));
        nodes.add(warmNode("w-1", 0));
        nodes.add(warmNode("w-2", 0));
        nodes.add(warmNode("w-3", 0));
        Timeline pool = new Timeline(pool(2, 16, 3, Criticality.CRITICAL, ScalingSettings.DEFAULTS), nodes);

        // the pool window: (4 × 87.5 + 3 × 0) / 7 = 50 %; on the serving nodes 87.5 %
        // ceil(4 × 87.5 / 60) = 6: two of the three warm nodes, nothing to provision, refill 2
        List<ScaleCommand> commands = pool.windows(0, 2, 50);

        assertThat(commands).extracting(ScaleCommand::action)
                .containsExactly(ScaleAction.ACTIVATE_WARM, ScaleAction.SCALE_OUT);
        assertThat(commands.get(0).nodes()).containsExactly("w-1", "w-2");
        assertThat(commands.get(1).desiredNodes() - commands.get(1).currentNodes()).isEqualTo(2);
    }

    @Test
    void combinedConditionNeedsTheQueueDepthToo() {
        PoolConfig config = pool(2, 16, 0, Criticality.CRITICAL,
                ScalingSettings.DEFAULTS.withCombinedConditions(10.0, null));
        Timeline quiet = new Timeline(config, serving(4));
        Timeline queued = new Timeline(config, serving(4));

        for (int k = 0; k < 3; k++) {
            quiet.decide(window(k, 90, 50, 5.0));
            queued.decide(window(k, 90, 50, 12.0));
        }

        assertThat(quiet.all).isEmpty();
        // ceil(4 × 90 / 60) = 6
        assertThat(queued.all).singleElement().satisfies(command -> {
            assertThat(command.desiredNodes()).isEqualTo(6);
            assertThat(command.reason()).contains("gpu 90 % > 80 % and queue depth 12 > 10 for 3 windows");
        });
    }

    @Test
    void edgePoolsScaleOnCpu() {
        PoolConfig edge = new PoolConfig("us-east", "cpu-edge", Tier.EDGE_CPU, 3, 24, 0,
                List.of("c7i.2xlarge", "c7i.4xlarge"), CapacityType.ON_DEMAND, false, Criticality.NORMAL,
                ScalingSettings.DEFAULTS);
        Timeline pool = new Timeline(edge, List.of(node("e-1", "c7i.2xlarge", 0), node("e-2", "c7i.2xlarge", 0),
                node("e-3", "c7i.2xlarge", 0)));

        for (int k = 0; k < 3; k++) {
            Instant start = T0.plusSeconds(10L * k);
            // GPU idle, CPU at 90 %: the edge pool's load is its CPU
            pool.decide(new PoolUtilization("us-east", "cpu-edge", Tier.EDGE_CPU, start, start.plusSeconds(10), 3, 3,
                    0, 0, 0, 0, 90, 0, null, null));
        }

        // ceil(3 × 90 / 60) = ceil(4.5) = 5
        assertThat(pool.all).singleElement().satisfies(command -> {
            assertThat(command.desiredNodes()).isEqualTo(5);
            assertThat(command.reason()).startsWith("cpu 90 % > 80 %");
            assertThat(command.urgency()).isEqualTo(Criticality.NORMAL);
        });
    }
}
