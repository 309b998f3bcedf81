package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.Figures.num;

import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.PoolScalingState.DeferralKind;
import dev.meridian.policy.scaling.PoolScalingState.Purpose;

/**
 * Horizontal growth on a sustained hot load, or by one node for memory pressure at the top of the ladder. Pending
 * capacity already counts as current, so a need that is on its way asks for nothing more.
 */
final class ScaleOut {

    private final PoolConfig pool;
    private final ScalingSettings settings;
    private final CapacityLedger ledger;
    private final WindowHistory history;
    private final BudgetDeferral deferral;
    private final WarmPool warmPool;

    ScaleOut(PoolConfig pool, CapacityLedger ledger, WindowHistory history, BudgetDeferral deferral,
            WarmPool warmPool) {
        this.pool = pool;
        this.settings = pool.settings();
        this.ledger = ledger;
        this.history = history;
        this.deferral = deferral;
        this.warmPool = warmPool;
    }

    static boolean isHot(PoolUtilization window, ServingLoad load, ScalingSettings settings) {
        Double queue = settings.queueDepthThreshold();
        Double kv = settings.kvCacheThreshold();
        return load != null && load.value() > settings.scaleOutUtilization()
                && (queue == null || (window.queueDepthAvg() != null && window.queueDepthAvg() > queue))
                && (kv == null || (window.kvCacheAvg() != null && window.kvCacheAvg() > kv));
    }

    /**
     * @param memoryNeed serving capacity memory pressure asks for instead of a resize, 0 for none
     * @return whether growth was decided (issued or deferred) in this window
     */
    boolean decide(PoolUtilization window, ServingLoad load, int memoryNeed, String type) {
        boolean loadHot = history.hot().windows() >= settings.sustainWindows();
        if (!loadHot && memoryNeed == 0) {
            return false;
        }
        int ready = ledger.servingReady().size();
        int pendingServe = ledger.pendingServing();
        int current = ready + pendingServe;
        // A hot count only grows on windows with a serving load, so a completed one has this window's.
        int loadNeed = loadHot ? load.nodesAt(settings.targetUtilization()) : 0;
        int need = Math.max(loadNeed, memoryNeed);
        int bounded = Math.min(need, Math.min(pool.maxSize(), current + settings.maxStep()));
        if (bounded <= current) {
            return false;
        }
        deferral.want(DeferralKind.SCALE_OUT);
        StringBuilder basis = new StringBuilder();
        if (loadHot) {
            basis.append(ServingLoad.name(pool.tier())).append(' ').append(num(load.value())).append(" % > ")
                    .append(num(settings.scaleOutUtilization())).append(" %").append(combinedNote(window))
                    .append(" for ").append(history.hot().windows()).append(" windows").append(load.note(ready))
                    .append("; desired ceil(").append(load.measured()).append(" × ").append(num(load.value()))
                    .append(" / ").append(num(settings.targetUtilization())).append(") = ").append(loadNeed);
        }
        if (memoryNeed > 0) {
            basis.append(loadHot ? "; " : "").append("gpu memory peak ").append(num(window.gpuMemPeakPct()))
                    .append(" % > ").append(num(settings.memoryResizeUtilization())).append(" % for ")
                    .append(history.memory().windows()).append(" windows at the top of the ladder (").append(type)
                    .append("): desired ").append(current).append(" + 1 = ").append(memoryNeed);
        }
        basis.append("; current ").append(current).append(" (").append(ready).append(" ready + ")
                .append(pendingServe).append(" pending)");
        if (bounded < need) {
            basis.append("; bounded by ").append(bounded == pool.maxSize() ? "max " + pool.maxSize()
                    : "step " + settings.maxStep()).append(" to ").append(bounded);
        }

        int activated = warmPool.activate(window, current, bounded - current, type, basis.toString());
        int afterWarm = current + activated;
        boolean issued = bounded <= afterWarm || provision(window, afterWarm, bounded, type, basis
                + "; provision " + (bounded - afterWarm) + (activated == 0 ? "" : " after " + activated + " warm"));
        if (issued) {
            // Fresh evidence for the next step: the capacity just asked for changes the load it is judged on.
            history.restartHot();
            if (memoryNeed > 0) {
                history.restartMemory();
            }
        }
        return true;
    }

    /** Returns false when the budget gate deferred it. */
    private boolean provision(PoolUtilization window, int current, int desired, String type, String reason) {
        String id = deferral.issueOrDefer(DeferralKind.SCALE_OUT, ScaleAction.SCALE_OUT, "", window, current, desired,
                ScalePurpose.SERVE, type, null, reason);
        if (id == null) {
            return false;
        }
        ledger.request(id, Purpose.SERVE, desired - current);
        history.grewAt(window.windowEnd());
        return true;
    }

    private String combinedNote(PoolUtilization window) {
        StringBuilder note = new StringBuilder();
        if (settings.queueDepthThreshold() != null) {
            note.append(" and queue depth ").append(num(window.queueDepthAvg())).append(" > ")
                    .append(num(settings.queueDepthThreshold()));
        }
        if (settings.kvCacheThreshold() != null) {
            note.append(" and kv-cache ").append(num(window.kvCacheAvg())).append(" % > ")
                    .append(num(settings.kvCacheThreshold())).append(" %");
        }
        return note.toString();
    }
}
