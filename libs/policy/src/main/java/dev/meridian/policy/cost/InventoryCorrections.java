package dev.meridian.policy.cost;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the scaler's commands and the node windows tell the ledger that inventory tells late or not at all.
 *
 * <p>Ingest declares a node LEFT only after {@code left-after} (5 min) of silence, stamped with that detection
 * time; a node the scaler removed stopped costing when it was removed. So a SCALE_IN ends the named nodes' accrual
 * at the command's {@code issuedAt}, and the STALE that ingest reports for the now silent node is not taken as the
 * node running again. Should the node still report (the removal failed), its first window starting at least
 * {@code grace} after the command charges it again from that window's start: money is never silently lost.
 */
public final class InventoryCorrections {

    /** Zone of the records made here: the ledger never reads it (it prices by region). */
    static final String ZONE_UNKNOWN = "unknown";

    private InventoryCorrections() {
    }

    /** LEFT records at {@code issuedAt} for each node a SCALE_IN names that runs in the ledger, in name order. */
    public static List<FleetNode> leaves(ScaleCommand command, Map<String, NodeMeter> meters) {
        List<FleetNode> leaves = new ArrayList<>();
        if (command.action() != ScaleAction.SCALE_IN || command.nodes() == null) {
            return leaves;
        }
        for (String nodeId : command.nodes().stream().sorted().distinct().toList()) {
            NodeMeter meter = meters.get(nodeId);
            if (meter != null && meter.running() && meter.region().equals(command.region())) {
                leaves.add(record(meter, NodeState.LEFT, command.issuedAt(), command.issuedAt()));
            }
        }
        return leaves;
    }

    /**
     * Whether an inventory record is to be applied: not a STALE for a node that is no longer charged (ingest reports
     * STALE only for a silent node, which is what a removed node is).
     */
    public static boolean admit(FleetNode node, NodeMeter meter) {
        return !(node.state() == NodeState.STALE && meter != null && !meter.running());
    }

    /**
     * A JOINED record from {@code window}'s start when the node reports although it left (by a command) at least
     * {@code grace} before the window began; empty otherwise.
     */
    public static Optional<FleetNode> revival(NodeUtilization window, NodeMeter meter, Duration grace) {
        if (meter == null || meter.running() || window.windowStart().isBefore(meter.stateSince().plus(grace))) {
            return Optional.empty();
        }
        return Optional.of(new FleetNode(window.nodeId(), window.region(), window.zone(), window.pool(), window.tier(),
                window.instanceType(), window.capacityType(), NodeState.JOINED, window.windowStart(),
                window.windowEnd()));
    }

    private static FleetNode record(NodeMeter meter, NodeState state, Instant since, Instant lastSeen) {
        String tier = meter.tags().get(CostTags.TIER);
        return new FleetNode(meter.nodeId(), meter.region(), ZONE_UNKNOWN, meter.tags().getOrDefault(CostTags.POOL, ""),
                tier == null ? Tier.CORE_GPU : Tier.valueOf(tier), meter.instanceType(), meter.capacityType(), state,
                since, lastSeen);
    }
}
