package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.ScalingFixtures.T0;
import static dev.meridian.policy.scaling.ScalingFixtures.gpuCore;
import static dev.meridian.policy.scaling.ScalingFixtures.node;
import static dev.meridian.policy.scaling.ScalingFixtures.pool;
import static dev.meridian.policy.scaling.ScalingFixtures.serving;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.policy.scaling.ScalingFixtures.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleInTest {

    private static final String G5 = ScalingFixtures.LADDER.get(0);

    /** Six nodes whose newest loads make the idlest four n-4 (0), n-2 (5), n-5 (10), n-3 (25). */
    private static List<PoolNode> sixWithLoads() {
        return List.of(node("n-1", G5, 30), node("n-2", G5, 5), node("n-3", G5, 25), node("n-4", G5, 0),
                node("n-5", G5, 10), node("n-6", G5, 40));
    }

    @Test
    void drainsTheIdlestNodesAfterTheWholeStabilizationWindowThenScalesThemInAfterTheDrainPeriod() {
        Timeline pool = new Timeline(gpuCore(), sixWithLoads());

        // cold since T0 (window 0's start); 5 min = 300 s are complete when a window ends at T0 + 300 s: window 29
        assertThat(pool.windows(0, 28, 20)).isEmpty();
        List<ScaleCommand> drain = pool.window(29, 20);

        // desired = max(min 2, ceil(6 × 20 / 60) = 2, 6 - step 4 = 2) = 2: drain 4, the idlest
        assertThat(drain).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.DRAIN);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/DRAIN/2026-11-27T10:05:00Z");
            assertThat(command.nodes()).containsExactly("n-2", "n-3", "n-4", "n-5");
            assertThat(command.currentNodes()).isEqualTo(6);
            assertThat(command.desiredNodes()).isEqualTo(2);
            assertThat(command.reason()).startsWith("gpu 20 % < 30 % for 30 windows since 2026-11-27T10:00:00Z; "
                    + "desired ceil(6 × 20 / 60) = 2");
        });
        // decided at T0 + 301 s, drain period 60 s
        assertThat(pool.last.nextCheckAt()).isEqualTo(T0.plusSeconds(361));

        assertThat(pool.at(T0.plusSeconds(360))).isEmpty();
        List<ScaleCommand> scaleIn = pool.at(T0.plusSeconds(361));
        assertThat(scaleIn).singleElement().satisfies(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_IN);
            assertThat(command.commandId()).isEqualTo("us-east/gpu-core/SCALE_IN/2026-11-27T10:05:00Z");
            assertThat(command.nodes()).containsExactly("n-2", "n-3", "n-4", "n-5");
            assertThat(command.currentNodes()).isEqualTo(6);
            assertThat(command.desiredNodes()).isEqualTo(2);
            assertThat(command.triggerWindowEnd()).isNull();
        });
        assertThat(pool.at(T0.plusSeconds(400))).as("SCALE_IN is issued once").isEmpty();

        // until they leave, the drained nodes are not capacity: the pool of 2 stays at min and is not drained again
        assertThat(pool.windows(30, 80, 20)).isEmpty();
        pool.nodes.replaceAll(n -> List.of("n-2", "n-3", "n-4", "n-5").contains(n.nodeId())
                ? new PoolNode(n.nodeId(), G5, CapacityType.ON_DEMAND, NodeState.LEFT, false, null) : n);
        pool.window(81, 20);
        assertThat(pool.state.draining()).isEmpty();
    }

    @Test
    void neverDrainsBelowMin() {
        Timeline pool = new Timeline(gpuCore(), serving(3));

        // ceil(3 × 1 / 60) = 1, but min is 2: one node
        List<ScaleCommand> commands = pool.windows(0, 29, 1);
        assertThat(commands).singleElement().satisfies(command -> {
            assertThat(command.nodes()).hasSize(1);
            assertThat(command.desiredNodes()).isEqualTo(2);
            assertThat(command.reason()).contains("bounded by min 2");
        });

        Timeline atMin = new Timeline(gpuCore(), serving(2));
        assertThat(atMin.windows(0, 200, 0)).isEmpty();
    }

    @Test
    void oneWindowThatIsNotColdRestartsTheStabilizationWindow() {
        Timeline pool = new Timeline(gpuCore(), serving(6));

        pool.windows(0, 19, 20);
        // window 20 at 35 % breaks it; cold again from window 21 (start T0 + 210 s): complete at window end
        // T0 + 510 s, window 50
        pool.window(20, 35);
        assertThat(pool.windows(21, 49, 20)).isEmpty();
        assertThat(pool.window(50, 20)).extracting(ScaleCommand::action).containsExactly(ScaleAction.DRAIN);
    }

    @Test
    void noScaleInUntilTheCooldownAfterTheLastScaleOut() {
        PoolConfig config = pool(2, 16, 0, Criticality.CRITICAL,
                ScalingSettings.DEFAULTS.withScaleInTiming(Duration.ofMinutes(5), Duration.ofMinutes(10)));
        Timeline pool = new Timeline(config, serving(4));
        pool.windows(0, 2, 87.5);
        // the two requested nodes arrive, so nothing is pending
        pool.nodes = new ArrayList<>(serving(6));

        // scale-out triggered by the window ending T0 + 30 s: cooldown until T0 + 630 s = end of window 62.
        // Cold since window 3 (start T0 + 30 s): stabilization alone would allow it at end T0 + 330 s, window 32.
        assertThat(pool.windows(3, 61, 10)).isEmpty();
        assertThat(pool.window(62, 10)).extracting(ScaleCommand::action).containsExactly(ScaleAction.DRAIN);
    }

    @Test
    void noScaleInWhileCapacityIsPending() {
        Timeline pool = new Timeline(gpuCore(), serving(4));
        pool.windows(0, 2, 87.5);

        // the requested nodes never arrive; the pool goes cold. Pending until T0 + 331 s, cooldown until
        // T0 + 330 s, stabilization since window 3 until T0 + 330 s: the first window decided after the request
        // expired is window 32 (decided T0 + 331 s)
        assertThat(pool.windows(3, 31, 10)).isEmpty();
        assertThat(pool.window(32, 10)).extracting(ScaleCommand::action).containsExactly(ScaleAction.DRAIN);
    }
}
