package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.ScalingFixtures.LADDER;
import static dev.meridian.policy.scaling.ScalingFixtures.T0;
import static dev.meridian.policy.scaling.ScalingFixtures.gpuCore;
import static dev.meridian.policy.scaling.ScalingFixtures.node;
import static dev.meridian.policy.scaling.ScalingFixtures.serving;
import static dev.meridian.policy.scaling.ScalingFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionOverride;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.ScalingFixtures.Timeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How {@link ScalingPolicy} honours what operators' actions hold ({@link OperatorHolds}). */
class OperatorActionsTest {

    private static final String G5 = LADDER.get(0);

    static OperatorAction scale(String id, int nodes, Instant until, String actor) {
        return new OperatorAction(id, ActionKind.SCALE, "us-east", "gpu-core", null, nodes, until, null, actor, null,
                T0);
    }

    static OperatorAction pause(String id, Instant until, String actor) {
        return new OperatorAction(id, ActionKind.PAUSE, "us-east", "gpu-core", null, null, until, null, actor, null,
                T0);
    }

    static OperatorAction resume(String id, String actor) {
        return new OperatorAction(id, ActionKind.RESUME, "us-east", "gpu-core", null, null, null, null, actor, null,
                T0);
    }

    static OperatorAction override(String id, ActionOverride override, Instant until, String actor) {
        return new OperatorAction(id, ActionKind.OVERRIDE, "us-east", "gpu-core", null, null, until, override, actor,
                null, T0);
    }

    static OperatorAction onNode(String id, ActionKind kind, String nodeId, String actor) {
        return new OperatorAction(id, kind, "us-east", "gpu-core", nodeId, null, null, null, actor, null, T0);
    }

    @Test
    void aManualScaleHoldsForItsTimeThenAutoscalingResumesFromTheCurrentSizeOnFreshEvidence() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        // until T0 + 120 s: windows 0..10 are decided within it (T0 + 11 s .. T0 + 111 s), window 11 after it
        pool.holds = OperatorHolds.NONE.with(scale("a-1", 8, T0.plusSeconds(120), "alice"));

        List<ScaleCommand> applied = pool.at(T0.plusSeconds(1));

        assertThat(applied).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/operator/a-1");
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.desiredNodes()).isEqualTo(8);
            assertThat(command.requestedBy()).isEqualTo("alice");
            assertThat(command.triggerWindowEnd()).isNull();
            assertThat(command.overBudget()).isFalse();
            assertThat(command.reason()).startsWith("operator alice: SCALE to 8 until 2026-11-27T10:02:00Z (action a-1)"
                    + "; current 4 (4 ready + 0 pending); provision 4");
        });
        // the hold's end is the earliest deadline: the request's is T0 + 1 s + 5 min
        assertThat(pool.last.nextCheckAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(pool.at(T0.plusSeconds(2))).as("carried out once").isEmpty();

        // the nodes arrive; the load is hot throughout, but nothing autoscales while the hold lasts
        pool.nodes = new ArrayList<>(serving(8));
        assertThat(pool.windows(0, 10, 90)).isEmpty();
        assertThat(pool.state.appliedScale()).isEqualTo("a-1");

        // after the end the hot count starts afresh (windows 8..10 were hot, but under the hold): the third window
        // after it, 13, scales out from the current 8: ceil(8 × 90 / 60) = 12
        assertThat(pool.windows(11, 12, 90)).isEmpty();
        assertThat(pool.state.appliedScale()).isNull();
        assertThat(pool.window(13, 90)).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.currentNodes()).isEqualTo(8);
            assertThat(command.desiredNodes()).isEqualTo(12);
            assertThat(command.requestedBy()).isNull();
        });
    }

    @Test
    void aManualScaleDownDrainsTheIdlestAndRemovesThemAfterTheDrainPeriodWhileTheColdPoolIsLeftAlone() {
        Timeline pool = new Timeline(gpuCore(), List.of(node("n-1", G5, 30), node("n-2", G5, 5), node("n-3", G5, 25),
                node("n-4", G5, 0), node("n-5", G5, 10), node("n-6", G5, 40)));
        pool.holds = OperatorHolds.NONE.with(scale("a-2", 3, T0.plusSeconds(3600), "alice"));

        List<ScaleCommand> drain = pool.at(T0.plusSeconds(1));

        assertThat(drain).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.DRAIN);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/DRAIN/operator/a-2");
            assertThat(command.nodes()).containsExactly("n-2", "n-4", "n-5");
            assertThat(command.currentNodes()).isEqualTo(6);
            assertThat(command.desiredNodes()).isEqualTo(3);
            assertThat(command.requestedBy()).isEqualTo("alice");
        });
        assertThat(pool.at(T0.plusSeconds(60))).isEmpty();
        assertThat(pool.at(T0.plusSeconds(61))).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_IN);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_IN/operator/a-2");
            assertThat(command.nodes()).containsExactly("n-2", "n-4", "n-5");
            assertThat(command.requestedBy()).isEqualTo("alice");
        });
        // cold far beyond the stabilization window: autoscaling would shrink the 3 to min 2, the hold keeps them
        assertThat(pool.windows(6, 80, 5)).isEmpty();
    }

    @Test
    void aManualScaleIsCarriedOutOncePerAction() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        pool.holds = OperatorHolds.NONE.with(scale("a-5", 6, T0.plusSeconds(3600), "alice"));
        assertThat(pool.at(T0)).extracting(ScaleCommand::action).containsExactly(ScaleAction.SCALE_OUT);

        // the nodes never arrive and the request is given up (T0 + 5 min): the action is not carried out again
        assertThat(pool.at(T0.plusSeconds(301))).isEmpty();
        assertThat(pool.state.pending()).isEmpty();

        // a new SCALE is a new action, carried out from where the pool stands
        pool.holds = pool.holds.with(scale("a-6", 6, T0.plusSeconds(3600), "bob"));
        assertThat(pool.at(T0.plusSeconds(302))).singleElement().satisfies(command -> {
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/operator/a-6");
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.requestedBy()).isEqualTo("bob");
        });
    }

    @Test
    void aManualScaleBeyondTheBudgetIsNotGatedButFlaggedOverBudget() {
        Timeline pool = new Timeline(ScalingFixtures.pool(2, 16, 0, Criticality.LOW, ScalingSettings.DEFAULTS),
                serving(4));
        pool.budget = BudgetState.EXCEEDED;
        pool.holds = OperatorHolds.NONE.with(scale("a-3", 6, T0.plusSeconds(600), "alice"));

        assertThat(pool.at(T0)).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.overBudget()).isTrue();
            assertThat(command.reason()).endsWith("budget EXCEEDED, not gated: an operator's size");
        });
    }

    @Test
    void aManualScaleDownWaitsForCapacityOnItsWay() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        pool.windows(0, 2, 87.5); // SCALE_OUT 4 -> 6, two nodes pending until T0 + 331 s
        pool.holds = OperatorHolds.NONE.with(scale("a-4", 3, T0.plusSeconds(3600), "alice"));

        assertThat(pool.at(T0.plusSeconds(40))).isEmpty();
        assertThat(pool.state.appliedScale()).isNull();

        // the two arrive: 6 ready, nothing pending, drain 3
        pool.nodes = new ArrayList<>(serving(6));
        assertThat(pool.at(T0.plusSeconds(50))).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.DRAIN);
            assertThat(command.nodes()).hasSize(3);
            assertThat(command.desiredNodes()).isEqualTo(3);
        });
        assertThat(pool.state.appliedScale()).isEqualTo("a-4");
    }

    private static PoolConfig spotPool() {
        return new PoolConfig("us-east", "gpu-core", Tier.CORE_GPU, 0, 8, 1, LADDER, CapacityType.SPOT, true,
                Criticality.NORMAL, ScalingSettings.DEFAULTS);
    }

    @Test
    void aPausedPoolNeitherGrowsNorShrinksNorResizesNorRefillsButStillAnswersSpotInterruptions() {
        Timeline pool = new Timeline(spotPool(), IntStream.rangeClosed(1, 3)
                .mapToObj(i -> new PoolNode("s-" + i, G5, CapacityType.SPOT, NodeState.JOINED, false, 95.0))
                .toList());
        pool.holds = OperatorHolds.NONE.with(pause("p-1", null, "bob"));

        // hot and under memory pressure for 40 windows; the warm pool (1) is empty
        for (int k = 0; k <= 39; k++) {
            assertThat(pool.decide(window(k, 95, 97, null))).as("window %d", k).isEmpty();
        }
        assertThat(pool.last.nextCheckAt()).as("an open-ended pause has no end to wake for").isNull();

        Instant notice = T0.plusSeconds(405);
        pool.interruptions = List.of(new Interruption("s-2", "us-east", "gpu-core", notice, notice.plusSeconds(120),
                "aws-spot-itn"));
        assertThat(pool.at(notice.plusSeconds(1))).extracting(ScaleCommand::action, ScaleCommand::requestedBy)
                .containsExactly(tuple(ScaleAction.DRAIN, null), tuple(ScaleAction.REPLACE, null));
        // the drain under way completes
        assertThat(pool.at(notice.plusSeconds(61))).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_IN);
            assertThat(command.nodes()).containsExactly("s-2");
        });

        // cold for far longer than the stabilization window: nothing either
        assertThat(pool.windows(47, 90, 5)).isEmpty();

        // resumed: the warm refill at once, a scale-out after three fresh hot windows
        pool.holds = pool.holds.with(resume("r-1", "bob"));
        assertThat(pool.window(91, 95)).extracting(ScaleCommand::action, ScaleCommand::purpose)
                .containsExactly(tuple(ScaleAction.SCALE_OUT, ScalePurpose.WARM_POOL));
        assertThat(pool.window(92, 95)).isEmpty();
        assertThat(pool.window(93, 95)).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.purpose()).isEqualTo(ScalePurpose.SERVE);
            // s-1 and s-3 serve (s-2 drained): ceil(2 × 95 / 60) = 4
            assertThat(command.currentNodes()).isEqualTo(2);
            assertThat(command.desiredNodes()).isEqualTo(4);
        });
    }

    @Test
    void aPauseUntilATimeWakesThePoolAtItsEnd() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        pool.holds = OperatorHolds.NONE.with(pause("p-2", T0.plusSeconds(45), "bob"));

        assertThat(pool.windows(0, 3, 90)).isEmpty();
        assertThat(pool.last.nextCheckAt()).isEqualTo(T0.plusSeconds(45));
        // windows 4.. are decided after the end (T0 + 51 s ..): three fresh hot windows
        assertThat(pool.windows(4, 5, 90)).isEmpty();
        assertThat(pool.window(6, 90)).extracting(ScaleCommand::action).containsExactly(ScaleAction.SCALE_OUT);
    }

    @Test
    void aDrainDrainsExactlyThatNodeAndRemovesItAfterTheDrainPeriodBothForTheOperator() {
        Timeline pool = new Timeline(gpuCore(), serving(4, 50));
        pool.holds = OperatorHolds.NONE.with(onNode("d-1", ActionKind.DRAIN, "n-03", "dave"));

        List<ScaleCommand> drain = pool.at(T0.plusSeconds(1));

        assertThat(drain).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.DRAIN);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/DRAIN/operator/d-1");
            assertThat(command.nodes()).containsExactly("n-03");
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.desiredNodes()).isEqualTo(3);
            assertThat(command.requestedBy()).isEqualTo("dave");
            assertThat(command.reason()).isEqualTo("operator dave: DRAIN of serving node n-03 (action d-1); SCALE_IN "
                    + "after PT1M");
        });
        assertThat(pool.last.nextCheckAt()).isEqualTo(T0.plusSeconds(61));
        assertThat(pool.at(T0.plusSeconds(2))).as("deciding again changes nothing").isEmpty();
        assertThat(pool.window(3, 50)).isEmpty();

        assertThat(pool.at(T0.plusSeconds(61))).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_IN);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_IN/operator/d-1");
            assertThat(command.nodes()).containsExactly("n-03");
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.desiredNodes()).isEqualTo(3);
            assertThat(command.requestedBy()).isEqualTo("dave");
        });
        assertThat(pool.at(T0.plusSeconds(90))).isEmpty();

        // the node leaves; the hold still names it, and nothing more happens
        pool.nodes.replaceAll(n -> n.nodeId().equals("n-03")
                ? new PoolNode("n-03", G5, CapacityType.ON_DEMAND, NodeState.LEFT, false, null) : n);
        assertThat(pool.at(T0.plusSeconds(120))).isEmpty();
        assertThat(pool.state.draining()).isEmpty();
    }

    @Test
    void aCordonIsNothingForTheScaler() {
        Timeline pool = new Timeline(gpuCore(), serving(4, 50));
        pool.holds = OperatorHolds.NONE.with(onNode("c-1", ActionKind.CORDON, "n-01", "dave"));

        assertThat(pool.at(T0)).isEmpty();
        assertThat(pool.windows(0, 10, 50)).isEmpty();
        assertThat(pool.state.draining()).isEmpty();
    }

    @Test
    void anOverridesThresholdsAndBoundsApplyUntilItsEnd() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        // 75 % is not hot at the pool's 80 %; under the override (70 / 50, max 6) it is. Until T0 + 100 s: windows
        // 0..8 are decided within it, 9.. after it
        pool.holds = OperatorHolds.NONE.with(override("o-1", new ActionOverride(70.0, null, 50.0, null, null, 6),
                T0.plusSeconds(100), "carol"));

        assertThat(pool.windows(0, 1, 75)).isEmpty();
        assertThat(pool.last.nextCheckAt()).isEqualTo(T0.plusSeconds(100));
        assertThat(pool.window(2, 75)).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            // ceil(4 × 75 / 50) = 6, which is also the override's max
            assertThat(command.desiredNodes()).isEqualTo(6);
            assertThat(command.reason()).startsWith("gpu 75 % > 70 % for 3 windows; desired ceil(4 × 75 / 50) = 6");
            assertThat(command.requestedBy()).isNull();
        });
        pool.nodes = new ArrayList<>(serving(6));
        // still hot: ceil(6 × 75 / 50) = 9, bounded by the override's max 6
        assertThat(pool.windows(3, 8, 75)).isEmpty();

        // ended: 75 % is not hot at the pool's own 80 %
        assertThat(pool.windows(9, 40, 75)).isEmpty();
        assertThat(pool.window(41, 81)).isEmpty();
        assertThat(pool.window(42, 81)).isEmpty();
        assertThat(pool.window(43, 81)).singleElement().satisfies(command ->
                // the pool's own target and max again: ceil(6 × 81 / 60) = 9
                assertThat(command.desiredNodes()).isEqualTo(9));
    }
}
