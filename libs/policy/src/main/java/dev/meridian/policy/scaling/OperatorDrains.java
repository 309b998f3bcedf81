package dev.meridian.policy.scaling;

import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import java.time.Instant;
import java.util.List;

/**
 * An operator's DRAIN of one node: DRAIN exactly that node now and SCALE_IN exactly that node after the drain period
 * ({@link DrainCompletion}), both stamped with the operator. A node already draining (for whatever reason) or no
 * longer present is left alone, so deciding again changes nothing. A drain once issued is not called back by a later
 * CORDON or UNCORDON of the node. Never gated, paused or held: it removes capacity.
 */
final class OperatorDrains {

    private final PoolConfig pool;
    private final CapacityLedger ledger;
    private final CommandLog log;
    private final Instant now;

    OperatorDrains(PoolConfig pool, CapacityLedger ledger, CommandLog log, Instant now) {
        this.pool = pool;
        this.ledger = ledger;
        this.log = log;
        this.now = now;
    }

    void drain(List<OperatorAction> drains) {
        for (OperatorAction action : drains) {
            PoolNode node = ledger.presentNode(action.nodeId());
            if (node != null && !ledger.isDraining(node.nodeId())) {
                drain(action, node);
            }
        }
    }

    private void drain(OperatorAction action, PoolNode node) {
        boolean warm = ledger.isWarm(node);
        String origin = "operator/" + action.actionId();
        String drainId = log.id(ScaleAction.DRAIN, origin);
        int before = warm ? ledger.warmCapacity() : ledger.servingCapacity();
        ledger.drain(new DrainingNode(node.nodeId(), origin, drainId, now.plus(pool.settings().drainPeriod()), false,
                action.actor()));
        int after = warm ? ledger.warmCapacity() : ledger.servingCapacity();
        log.emitFor(action.actor(), ScaleAction.DRAIN, drainId, before, after,
                warm ? ScalePurpose.WARM_POOL : ScalePurpose.SERVE, node.instanceType(), node.capacityType(), false,
                List.of(node.nodeId()), "operator " + action.actor() + ": DRAIN of " + (warm ? "warm" : "serving")
                        + " node " + node.nodeId() + " (action " + action.actionId() + "); SCALE_IN after "
                        + pool.settings().drainPeriod());
    }
}
