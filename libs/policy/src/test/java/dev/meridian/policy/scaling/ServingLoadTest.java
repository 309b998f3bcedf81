package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.ScalingFixtures.LADDER;
import static dev.meridian.policy.scaling.ScalingFixtures.node;
import static dev.meridian.policy.scaling.ScalingFixtures.pool;
import static dev.meridian.policy.scaling.ScalingFixtures.serving;
import static dev.meridian.policy.scaling.ScalingFixtures.windowEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.policy.scaling.PoolScalingState.Streak;
import dev.meridian.policy.scaling.ScalingFixtures.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The load the rules judge is the serving nodes' (warm nodes report about 0 % and the pool window averages them in),
 * and the sizing multiplies it by the nodes it was measured on. Warm nodes here carry no inventory mark, as in the
 * running system: they are warm because the scaler's state says so ({@link PoolScalingState#warmNodes}).
 */
class ServingLoadTest {

    private static final PoolConfig WARM_2 = pool(2, 16, 2, Criticality.CRITICAL, ScalingSettings.DEFAULTS);

    @Test
    void twoServingAt90AndTwoWarmAt0ScaleOutAfterTheSustainPeriod() {
        Timeline pool = withWarm(WARM_2, serving(2, 90), "w-1", "w-2");

        // ingest's pool window: (90 + 90 + 0 + 0) / 4 = 45 %, never above 80 %; on the serving nodes 90 %
        assertThat(pool.windows(0, 1, 45)).isEmpty();
        List<ScaleCommand> commands = pool.window(2, 45);

        // ceil(2 × 90 / 60) = 3 against 2 serving: activate one warm node (2 -> 3), then refill the warm pool
        // (1 warm left of 2, room 16 - 3 - 1 = 12: one more)
        assertThat(commands).extracting(ScaleCommand::action)
                .containsExactly(ScaleAction.ACTIVATE_WARM, ScaleAction.SCALE_OUT);
        assertThat(commands.get(0)).satisfies(activate -> {
            assertThat(activate.nodes()).containsExactly("w-1");
            assertThat(activate.currentNodes()).isEqualTo(2);
            assertThat(activate.desiredNodes()).isEqualTo(3);
            assertThat(activate.reason()).startsWith("gpu 90 % > 80 % for 3 windows (serving nodes only, 2 warm left "
                    + "out); desired ceil(2 × 90 / 60) = 3; current 2 (2 ready + 0 pending)");
        });
        assertThat(commands.get(1).commandId()).isEqualTo("us-east/gpu-core/SCALE_OUT/warm/2026-11-27T10:00:30Z");
        assertThat(commands.get(1).delta()).isEqualTo(1);
    }

    @Test
    void theServingAverageIsTheMeanOfTheServingNodesLoads() {
        List<PoolNode> nodes = List.of(node("n-01", LADDER.get(0), 70), node("n-02", LADDER.get(0), 85),
                node("n-03", LADDER.get(0), 96));
        Timeline pool = withWarm(WARM_2, nodes, "w-1", "w-2");

        // (70 + 85 + 96) / 3 = 83.67 % > 80 %; the pool window (251 / 5 = 50.2 %) says otherwise
        List<ScaleCommand> commands = pool.windows(0, 2, 50.2);

        // ceil(3 × 83.67 / 60) = ceil(251 / 60) = ceil(4.18) = 5: both warm nodes
        assertThat(commands.get(0).action()).isEqualTo(ScaleAction.ACTIVATE_WARM);
        assertThat(commands.get(0).nodes()).containsExactly("w-1", "w-2");
        assertThat(commands.get(0).reason()).contains("gpu 83.67 % > 80 %").contains("= 5");
    }

    @Test
    void noServingNodeWithALoadIsNoDataAndNeverScalesOut() {
        // the serving nodes' windows have not reached the scaler: the pool window's 95 % cannot be taken apart
        Timeline pool = withWarm(WARM_2, serving(2), "w-1", "w-2");

        assertThat(pool.windows(0, 9, 95)).isEmpty();
        assertThat(pool.state.hot()).isEqualTo(Streak.NONE);
    }

    @Test
    void aPoolOfWarmNodesOnlyIsNoDataAndNeverScales() {
        Timeline pool = withWarm(pool(0, 16, 2, Criticality.CRITICAL, ScalingSettings.DEFAULTS), List.of(),
                "w-1", "w-2");

        // 40 windows, past the 5 min stabilization: neither hot nor cold
        assertThat(pool.windows(0, 39, 0)).isEmpty();
        assertThat(pool.state.hot()).isEqualTo(Streak.NONE);
        assertThat(pool.state.cold()).isEqualTo(Streak.NONE);
    }

    @Test
    void warmNodesDoNotMakeABusyPoolLookCold() {
        // min 0, so only the load keeps the serving nodes: 2 at 50 % + 2 warm average (50 + 50) / 4 = 25 % < 30 %
        Timeline pool = withWarm(pool(0, 16, 2, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(2, 50),
                "w-1", "w-2");

        // 40 windows = 400 s, past the 5 min stabilization: on the serving nodes 50 % is not cold
        assertThat(pool.windows(0, 39, 25)).isEmpty();
        assertThat(pool.state.cold()).isEqualTo(Streak.NONE);
    }

    @Test
    void withoutWarmNodesThePoolWindowIsTheServingAverage() {
        // the nodes' own loads (stale here on purpose) are not consulted: the window averages exactly these nodes
        Timeline pool = new Timeline(pool(2, 16, 0, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(4, 10));

        // ceil(4 × 87.5 / 60) = 6
        assertThat(pool.windows(0, 2, 87.5)).singleElement().satisfies(command -> {
            assertThat(command.desiredNodes()).isEqualTo(6);
            assertThat(command.reason()).startsWith("gpu 87.5 % > 80 % for 3 windows; desired ceil(4 × 87.5 / 60)");
        });
    }

    @Test
    void nodesArrivingAfterTheWindowAreNotMultipliedByItsLoad() {
        // a cold start longer than the sustain period: 2 nodes at 98 % ask for ceil(2 × 98 / 60) = 4, and the hot
        // streak completes again (windows 3-5) while the 2 nodes boot: 2 ready + 2 pending = 4, nothing more
        Timeline pool = new Timeline(pool(2, 16, 0, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(2));
        assertThat(pool.windows(0, 2, 98)).singleElement()
                .satisfies(command -> assertThat(command.desiredNodes()).isEqualTo(4));
        assertThat(pool.windows(3, 5, 98)).isEmpty();

        // the 2 nodes join half a second after window 6 ended, before it is decided (1 s after its end): window 6
        // measured 98 % on the 2 old nodes only. Sized on 4 ready it would ask ceil(4 × 98 / 60) = ceil(6.53) = 7,
        // three nodes nobody needs; sized on the 2 it measured: 4, which is the 4 now ready.
        Instant joined = windowEnd(6).plusMillis(500);
        pool.nodes.add(joinedAt("n-03", joined));
        pool.nodes.add(joinedAt("n-04", joined));
        assertThat(pool.window(6, 98)).isEmpty();
        assertThat(pool.state.pendingServing()).isZero();

        // window 7 measured all 4: (98 + 98 + 0 + 0) / 4 = 49 %, not hot
        assertThat(pool.window(7, 49)).isEmpty();
    }

    @Test
    void aWindowThatMeasuredTheNewNodesCountsThem() {
        Timeline pool = new Timeline(pool(2, 16, 0, Criticality.CRITICAL, ScalingSettings.DEFAULTS), serving(2));
        pool.windows(0, 2, 98);
        pool.windows(3, 5, 98);

        // joined inside window 6 (it ended at windowEnd(6)): that window's average is over 4 nodes, still 98 % —
        // ceil(4 × 98 / 60) = 7 against 4 ready, a genuine need for 3 more
        Instant joined = windowEnd(6).minus(Duration.ofSeconds(4));
        pool.nodes.add(joinedAt("n-03", joined));
        pool.nodes.add(joinedAt("n-04", joined));
        assertThat(pool.window(6, 98)).singleElement().satisfies(command -> {
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.desiredNodes()).isEqualTo(7);
        });
    }

    private static PoolNode joinedAt(String id, Instant joined) {
        return new PoolNode(id, LADDER.get(0), CapacityType.ON_DEMAND, NodeState.JOINED, false, null, joined);
    }

    /**
     * A pool whose warm nodes (idle, 0 %) arrived for a warm-pool request earlier: the state already knows every
     * node and marks the warm ones.
     */
    private static Timeline withWarm(PoolConfig config, List<PoolNode> servingNodes, String... warmIds) {
        List<PoolNode> nodes = new ArrayList<>(servingNodes);
        List<String> known = new ArrayList<>();
        servingNodes.forEach(node -> known.add(node.nodeId()));
        for (String id : warmIds) {
            nodes.add(node(id, LADDER.get(0), 0));
            known.add(id);
        }
        Timeline pool = new Timeline(config, nodes);
        pool.state = new PoolScalingState(null, Streak.NONE, Streak.NONE, Streak.NONE, null, List.of(), List.of(),
                List.of(), null, known, List.of(), List.of(warmIds));
        return pool;
    }
}
