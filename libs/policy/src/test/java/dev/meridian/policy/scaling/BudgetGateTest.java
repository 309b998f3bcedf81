package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.ScalingFixtures.pool;
import static dev.meridian.policy.scaling.ScalingFixtures.serving;
import static dev.meridian.policy.scaling.ScalingFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.policy.scaling.ScalingFixtures.Timeline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetGateTest {

    /** The budget gate's table (ScaleOutGate), one row per cell: budget state × criticality -> what a scale-out becomes. */
    @ParameterizedTest(name = "{0} / {1} -> {2}, over budget {3}")
    @CsvSource({
            "OK,       CRITICAL, SCALE_OUT, false",
            "OK,       NORMAL,   SCALE_OUT, false",
            "OK,       LOW,      SCALE_OUT, false",
            "WARN,     CRITICAL, SCALE_OUT, false",
            "WARN,     NORMAL,   SCALE_OUT, false",
            "WARN,     LOW,      DEFERRED,  false",
            "CRITICAL, CRITICAL, SCALE_OUT, false",
            "CRITICAL, NORMAL,   DEFERRED,  false",
            "CRITICAL, LOW,      DEFERRED,  false",
            "EXCEEDED, CRITICAL, SCALE_OUT, true",
            "EXCEEDED, NORMAL,   DEFERRED,  false",
            "EXCEEDED, LOW,      DEFERRED,  false"})
    void everyCellOfTheBudgetTable(BudgetState budget, Criticality criticality, ScaleAction expected,
            boolean overBudget) {
        Timeline pool = new Timeline(pool(0, 16, 0, criticality, ScalingSettings.DEFAULTS), serving(4));
        pool.budget = budget;

        List<ScaleCommand> commands = pool.windows(0, 2, 87.5);

        assertThat(commands).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(expected);
            assertThat(command.effectiveAction()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.overBudget()).isEqualTo(overBudget);
            assertThat(command.urgency()).isEqualTo(criticality);
            assertThat(command.budgetState()).isEqualTo(budget);
            // the same numbers either way: ceil(4 × 87.5 / 60) = 6
            assertThat(command.desiredNodes()).isEqualTo(6);
        });
        assertThat(ScaleOutGate.allows(criticality, budget)).isEqualTo(expected == ScaleAction.SCALE_OUT);
    }

    @Test
    void aDeferredScaleOutIsPublishedOnceAndIssuedWhenTheBudgetAllows() {
        Timeline pool = new Timeline(pool(0, 16, 0, Criticality.LOW, ScalingSettings.DEFAULTS), serving(4));
        pool.budget = BudgetState.WARN;

        List<ScaleCommand> deferred = pool.windows(0, 2, 87.5);
        assertThat(deferred).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.DEFERRED);
            assertThat(command.deferredAction()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/DEFERRED/SCALE_OUT/2026-11-27T10:00:30Z");
            assertThat(command.reason()).contains("deferred: budget WARN allows no growth of LOW pools");
        });
        assertThat(pool.windows(3, 10, 87.5)).as("DEFERRED once").isEmpty();

        pool.budget = BudgetState.OK;
        assertThat(pool.window(11, 87.5)).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/2026-11-27T10:02:00Z");
            assertThat(command.desiredNodes()).isEqualTo(6);
            assertThat(command.reason()).contains("deferred by us-east/gpu-core/DEFERRED/SCALE_OUT/"
                    + "2026-11-27T10:00:30Z since 2026-11-27T10:00:30Z, budget now OK");
        });
        assertThat(pool.state.deferred()).isEmpty();
    }

    @Test
    void aDeferralWhoseConditionLapsesIsDroppedAndARecurrenceIsPublishedAgain() {
        Timeline pool = new Timeline(pool(0, 16, 0, Criticality.NORMAL, ScalingSettings.DEFAULTS), serving(4));
        pool.budget = BudgetState.CRITICAL;
        pool.windows(0, 2, 87.5);
        assertThat(pool.state.deferred()).hasSize(1);

        pool.window(3, 50);
        assertThat(pool.state.deferred()).isEmpty();

        // hot again for a full sustain period: a new decision, audited again
        assertThat(pool.windows(4, 6, 87.5)).singleElement().extracting(ScaleCommand::action)
                .isEqualTo(ScaleAction.DEFERRED);
    }

    @Test
    void warmNodesAreActivatedEvenWhenTheRestIsDeferredAndTheRefillIsDeferredToo() {
        List<PoolNode> nodes = new ArrayList<>(serving(4, 87.5));
        nodes.add(ScalingFixtures.warmNode("w-1", 0));
        Timeline pool = new Timeline(pool(0, 16, 1, Criticality.LOW, ScalingSettings.DEFAULTS), nodes);
        pool.budget = BudgetState.WARN;

        // the pool window: (4 × 87.5 + 0) / 5 = 70 %; on the serving nodes 87.5 %
        List<ScaleCommand> commands = pool.windows(0, 2, 70);

        // 6 needed: 1 warm (already paid for) activated, 1 provision deferred, the warm refill deferred
        assertThat(commands).extracting(ScaleCommand::action, ScaleCommand::deferredAction).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ScaleAction.ACTIVATE_WARM, null),
                org.assertj.core.groups.Tuple.tuple(ScaleAction.DEFERRED, ScaleAction.SCALE_OUT),
                org.assertj.core.groups.Tuple.tuple(ScaleAction.DEFERRED, ScaleAction.SCALE_OUT));
        assertThat(commands.get(2).commandId()).isEqualTo("us-east/gpu-core/DEFERRED/SCALE_OUT/warm/2026-11-27T10:00:30Z");
        assertThat(pool.state.deferred()).hasSize(2);
        assertThat(pool.windows(3, 6, 87.5)).isEmpty();
    }

    @Test
    void aResizeIsGatedLikeAScaleOut() {
        Timeline pool = new Timeline(pool(0, 16, 0, Criticality.NORMAL, ScalingSettings.DEFAULTS), serving(4));
        pool.budget = BudgetState.EXCEEDED;

        for (int k = 0; k < 3; k++) {
            pool.decide(window(k, 50, 97, null));
        }

        assertThat(pool.all).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.DEFERRED);
            assertThat(command.deferredAction()).isEqualTo(ScaleAction.RESIZE);
            assertThat(command.targetInstanceType()).isEqualTo("p4d.24xlarge");
            assertThat(command.overBudget()).isFalse();
        });
    }
}
