package dev.meridian.policy.scaling;

import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.PoolScalingState.DeferralKind;
import dev.meridian.policy.scaling.PoolScalingState.Purpose;
import java.util.List;

/**
 * Pre-provisioned idle nodes that make a scale-out fast: activated before anything is provisioned, and refilled to
 * {@code warmSize} within the room left under the pool's max, serving capacity first.
 */
final class WarmPool {

    private final PoolConfig pool;
    private final CapacityLedger ledger;
    private final WindowHistory history;
    private final BudgetDeferral deferral;
    private final CommandLog log;

    WarmPool(PoolConfig pool, CapacityLedger ledger, WindowHistory history, BudgetDeferral deferral, CommandLog log) {
        this.pool = pool;
        this.ledger = ledger;
        this.history = history;
        this.deferral = deferral;
        this.log = log;
    }

    /**
     * Activation is never gated by the budget: the warm nodes are already paid for.
     *
     * @return how many warm nodes were activated, at most {@code wanted}
     */
    int activate(PoolUtilization window, int current, int wanted, String type, String basis) {
        List<String> warm = ledger.warmReady().stream().map(PoolNode::nodeId).limit(wanted).toList();
        if (!warm.isEmpty()) {
            log.emit(ScaleAction.ACTIVATE_WARM, log.id(ScaleAction.ACTIVATE_WARM, window.windowEnd().toString()),
                    window.windowEnd(), current, current + warm.size(), ScalePurpose.SERVE, type, pool.capacityType(),
                    warm, basis + "; activate " + warm.size() + " warm node(s) first");
            ledger.activate(warm);
            history.grewAt(window.windowEnd());
        }
        return warm.size();
    }

    void refill(PoolUtilization window, String type) {
        int warmCapacity = ledger.warmCapacity();
        int room = pool.maxSize() - ledger.servingCapacity() - warmCapacity;
        int refill = Math.min(pool.warmSize() - warmCapacity, room);
        if (refill <= 0) {
            return;
        }
        deferral.want(DeferralKind.WARM_REFILL);
        String reason = "refill warm pool: " + ledger.warmReady().size() + " warm + " + ledger.pendingWarm()
                + " pending of " + pool.warmSize() + "; provision " + refill + " warm"
                + (refill < pool.warmSize() - warmCapacity ? " (bounded by max " + pool.maxSize() + ")" : "");
        // The "warm/" in the id only keeps it apart from a serving scale-out of the same window; the purpose says
        // what the capacity is for.
        String id = deferral.issueOrDefer(DeferralKind.WARM_REFILL, ScaleAction.SCALE_OUT, "warm/", window,
                warmCapacity, warmCapacity + refill, ScalePurpose.WARM_POOL, type, null, reason);
        if (id != null) {
            ledger.request(id, Purpose.WARM, refill);
        }
    }
}
