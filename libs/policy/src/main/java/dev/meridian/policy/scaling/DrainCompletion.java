package dev.meridian.policy.scaling;

import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Removes drained nodes once their drain is over: one SCALE_IN per origin, so nodes drained together (by one
 * scale-in, one interruption, one operator action) leave together, stamped with the operator whose action drained
 * them, if any.
 */
final class DrainCompletion {

    private final PoolConfig pool;
    private final CapacityLedger ledger;
    private final CommandLog log;

    DrainCompletion(PoolConfig pool, CapacityLedger ledger, CommandLog log) {
        this.pool = pool;
        this.ledger = ledger;
        this.log = log;
    }

    void removeDueNodes() {
        ledger.forgetDrainsOfDepartedNodes();
        Map<String, List<DrainingNode>> dueByOrigin = ledger.dueDrains().stream()
                .collect(Collectors.groupingBy(DrainingNode::origin, LinkedHashMap::new, Collectors.toList()));
        dueByOrigin.forEach((origin, entries) -> {
            List<String> ids = entries.stream().map(DrainingNode::nodeId).sorted().toList();
            int remaining = ledger.servingCapacity();
            // Nodes of one origin were drained by one command, so for one requester (null: the scaler itself).
            log.emitFor(entries.get(0).requestedBy(), ScaleAction.SCALE_IN, log.id(ScaleAction.SCALE_IN, origin),
                    remaining + ids.size(), remaining, ScalePurpose.SERVE, null, pool.capacityType(), false, ids,
                    "drain period over for " + ids.size() + " node(s) drained by " + entries.get(0).drainCommandId()
                            + "; remove " + String.join(", ", ids));
            ledger.markScaleInIssued(origin, ids);
        });
    }
}
