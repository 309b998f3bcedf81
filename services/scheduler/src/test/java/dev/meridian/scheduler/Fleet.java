package dev.meridian.scheduler;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.cost.BudgetState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Input records as metrics-ingest, the scaler and the operator API would publish them, for windows ending at
 * {@code end}.
 */
public final class Fleet {

    private Fleet() {
    }

    public static PoolUtilization pool(String region, String pool, int eligible, double gpuAvg, Instant end) {
        return new PoolUtilization(region, pool, Tier.CORE_GPU, end.minus(Duration.ofSeconds(10)), end, eligible,
                eligible, 0, 0, gpuAvg, gpuAvg, 20.0, 40.0, null, null);
    }

    public static NodeUtilization node(String nodeId, String region, String pool, double gpuAvg, Instant end) {
        return new NodeUtilization(nodeId, region, region + "-a", pool, Tier.CORE_GPU, "g5.xlarge",
                CapacityType.ON_DEMAND, end.minus(Duration.ofSeconds(10)), end, 10, gpuAvg, gpuAvg, 40.0, 20.0, 30.0,
                1.0, 1.0, null, null);
    }

    public static FleetNode inventory(String nodeId, String region, String pool, NodeState state, Instant at) {
        return new FleetNode(nodeId, region, region + "-a", pool, Tier.CORE_GPU, "g5.xlarge", CapacityType.ON_DEMAND,
                state, at, at);
    }

    public static LatencyProbe latency(String from, String to, double rttMs, Instant at) {
        return new LatencyProbe(from, to, rttMs, at, "test");
    }

    public static ScaleCommand drain(String region, String pool, String nodeId, Instant at) {
        return new ScaleCommand(UUID.randomUUID().toString(), region, pool, ScaleAction.DRAIN, null, at, null, 2, 1, -1,
                "g5.xlarge", null, CapacityType.ON_DEMAND, Criticality.NORMAL, BudgetState.OK, false,
                List.of(nodeId), "scale in: idle");
    }

    /** An operator's CORDON, UNCORDON or DRAIN of a node (key {@link OperatorAction#key()}). */
    public static OperatorAction nodeAction(ActionKind kind, String region, String pool, String nodeId, Instant at) {
        return new OperatorAction(UUID.randomUUID().toString(), kind, region, pool, nodeId, null, null, null,
                "ops-alice", "maintenance", at);
    }
}
