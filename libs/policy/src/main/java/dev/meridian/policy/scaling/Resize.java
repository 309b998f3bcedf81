package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.Figures.num;

import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.PoolScalingState.DeferralKind;
import dev.meridian.policy.scaling.PoolScalingState.PendingResize;
import java.time.Instant;
import java.util.Optional;

/**
 * Vertical scaling on sustained GPU memory pressure: RESIZE to the next rung of the ladder, once until the pool shows
 * the new type or the provisioning timeout passes. At the top of the ladder, or for a type off it, no rung is left,
 * so one more node is asked for instead.
 */
final class Resize {

    private final PoolConfig pool;
    private final ScalingSettings settings;
    private final CapacityLedger ledger;
    private final WindowHistory history;
    private final BudgetDeferral deferral;
    private final Instant now;
    private PendingResize pending;

    Resize(PoolScalingState state, PoolConfig pool, CapacityLedger ledger, WindowHistory history,
            BudgetDeferral deferral, Instant now) {
        this.pool = pool;
        this.settings = pool.settings();
        this.ledger = ledger;
        this.history = history;
        this.deferral = deferral;
        this.now = now;
        this.pending = state.pendingResize();
    }

    static boolean memoryPressure(PoolUtilization window, ScalingSettings settings) {
        return window.gpuMemPeakPct() > settings.memoryResizeUtilization();
    }

    /** A resize in flight ends when the pool runs the target type, or is given up at its deadline. */
    void settle() {
        if (pending != null && (!pending.deadline().isAfter(now) || ledger.poolType().equals(pending.targetType()))) {
            pending = null;
        }
    }

    /**
     * Resizes if memory pressure held long enough and a rung is left.
     *
     * @return the serving capacity to scale out to instead, at the top of the ladder; 0 for none
     */
    int onWindow(PoolUtilization window, String type) {
        if (history.memory().windows() < settings.sustainWindows()) {
            return 0;
        }
        Optional<String> next = pool.nextType(type);
        if (next.isEmpty()) {
            // Memory pressure on the ready nodes eases only when the node asked for arrives: ask once.
            return ledger.pendingServing() == 0 ? ledger.servingCapacity() + 1 : 0;
        }
        if (pending == null) {
            deferral.want(DeferralKind.RESIZE);
            resize(window, type, next.get());
        }
        return 0;
    }

    private void resize(PoolUtilization window, String type, String target) {
        int current = ledger.servingCapacity();
        String reason = "gpu memory peak " + num(window.gpuMemPeakPct()) + " % > "
                + num(settings.memoryResizeUtilization()) + " % for " + history.memory().windows()
                + " windows; resize " + type + " -> " + target + " (next rung of " + String.join(" < ", pool.ladder())
                + ")";
        String id = deferral.issueOrDefer(DeferralKind.RESIZE, ScaleAction.RESIZE, "", window, current, current,
                ScalePurpose.SERVE, type, target, reason);
        if (id != null) {
            pending = new PendingResize(id, target, now.plus(settings.provisioningTimeout()));
            history.restartMemory();
        }
    }

    PendingResize pending() {
        return pending;
    }
}
