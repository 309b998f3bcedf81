package dev.meridian.policy.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scripted timelines: window k covers [T0 + 10k s, T0 + 10(k+1) s) and is decided on 1 s after it closes, as the
 * scaler would see it.
 */
final class ScalingFixtures {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final List<String> LADDER = List.of("g5.48xlarge", "p4d.24xlarge", "p5.48xlarge");

    private ScalingFixtures() {
    }

    /** The seed's gpu-core: min 2, max 16, no warm pool (tests that need one ask for it), CRITICAL, on demand. */
    static PoolConfig gpuCore() {
        return pool(2, 16, 0, Criticality.CRITICAL, ScalingSettings.DEFAULTS);
    }

    static PoolConfig pool(int min, int max, int warm, Criticality criticality, ScalingSettings settings) {
        return new PoolConfig("us-east", "gpu-core", Tier.CORE_GPU, min, max, warm, LADDER, CapacityType.ON_DEMAND,
                false, criticality, settings);
    }

    static Instant windowEnd(int k) {
        return T0.plusSeconds(10L * (k + 1));
    }

    static PoolUtilization window(int k, double gpu) {
        return window(k, gpu, 50, null);
    }

    static PoolUtilization window(int k, double gpu, double memPeak, Double queueDepth) {
        return new PoolUtilization("us-east", "gpu-core", Tier.CORE_GPU, T0.plusSeconds(10L * k), windowEnd(k), 4, 4,
                0, 0, gpu, Math.min(100, gpu + 3), 20, memPeak, queueDepth, null);
    }

    static PoolNode node(String id) {
        return new PoolNode(id, LADDER.get(0), CapacityType.ON_DEMAND, NodeState.JOINED, false, null);
    }

    static PoolNode node(String id, String type, double load) {
        return new PoolNode(id, type, CapacityType.ON_DEMAND, NodeState.JOINED, false, load);
    }

    /** n-01 .. n-NN, serving, bottom rung. */
    static List<PoolNode> serving(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> node(String.format("n-%02d", i))).toList();
    }

    /** n-01 .. n-NN, serving, bottom rung, each with {@code load} in its newest window. */
    static List<PoolNode> serving(int count, double load) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> node(String.format("n-%02d", i), LADDER.get(0), load))
                .toList();
    }

    /** A warm node whose newest window shows it idle, as a warm node reports. */
    static PoolNode warmNode(String id, double load) {
        return new PoolNode(id, LADDER.get(0), CapacityType.ON_DEMAND, NodeState.JOINED, true, load);
    }

    static void assertValid(List<ScaleCommand> commands) {
        for (ScaleCommand command : commands) {
            assertThat(command.violations()).as(command.commandId()).isEmpty();
        }
    }

    /** One pool's decisions over time; every command is checked against the contract as it is produced. */
    static final class Timeline {
        PoolConfig config;
        PoolScalingState state = PoolScalingState.INITIAL;
        List<PoolNode> nodes;
        List<Interruption> interruptions = List.of();
        BudgetState budget = BudgetState.OK;
        OperatorHolds holds = OperatorHolds.NONE;
        final List<ScaleCommand> all = new ArrayList<>();
        Outcome last;

        Timeline(PoolConfig config, List<PoolNode> nodes) {
            this.config = config;
            this.nodes = new ArrayList<>(nodes);
        }

        List<ScaleCommand> window(int k, double gpu) {
            return decide(ScalingFixtures.window(k, gpu, 50, null));
        }

        List<ScaleCommand> decide(PoolUtilization window) {
            return decide(window, window.windowEnd().plusSeconds(1));
        }

        /** Windows {@code from}..{@code to} at one load; returns every command they produced. */
        List<ScaleCommand> windows(int from, int to, double gpu) {
            List<ScaleCommand> produced = new ArrayList<>();
            for (int k = from; k <= to; k++) {
                produced.addAll(window(k, gpu));
            }
            return produced;
        }

        List<ScaleCommand> at(Instant now) {
            return decide(null, now);
        }

        List<ScaleCommand> decide(PoolUtilization window, Instant now) {
            last = ScalingPolicy.decide(state, new PoolSnapshot(config, window, nodes, interruptions, budget, holds),
                    now);
            state = last.state();
            assertValid(last.commands());
            all.addAll(last.commands());
            return last.commands();
        }
    }
}
