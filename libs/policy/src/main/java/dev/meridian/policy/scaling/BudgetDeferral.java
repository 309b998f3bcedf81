package dev.meridian.policy.scaling;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.PoolScalingState.Deferral;
import dev.meridian.policy.scaling.PoolScalingState.DeferralKind;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The budget gate in front of growth. A held-back decision is published as DEFERRED only the first time, so a pool
 * that stays hot under a tight budget does not flood the command topic; it is remembered and retried on every window
 * for as long as its condition holds, and forgotten once a window no longer wants it.
 */
final class BudgetDeferral {

    private final PoolConfig pool;
    private final BudgetState budget;
    private final CommandLog log;
    private final Map<DeferralKind, Deferral> deferred = new EnumMap<>(DeferralKind.class);
    private final Set<DeferralKind> wanted = EnumSet.noneOf(DeferralKind.class);

    BudgetDeferral(PoolScalingState state, PoolConfig pool, BudgetState budget, CommandLog log) {
        this.pool = pool;
        this.budget = budget;
        this.log = log;
        state.deferred().forEach(d -> deferred.put(d.kind(), d));
    }

    /** This window's condition for {@code kind} holds, so a deferral of it stays. */
    void want(DeferralKind kind) {
        wanted.add(kind);
    }

    boolean wants(DeferralKind kind) {
        return wanted.contains(kind);
    }

    /** Ends a window: a deferral whose condition lapsed is dropped rather than issued later on stale numbers. */
    void forgetUnwanted() {
        deferred.keySet().retainAll(wanted);
    }

    /**
     * Issues a growth command if the budget gate allows it and returns its id; otherwise publishes DEFERRED the first
     * time only and returns null.
     */
    String issueOrDefer(DeferralKind kind, ScaleAction action, String qualifierPrefix, PoolUtilization window,
            int current, int desired, ScalePurpose purpose, String type, String target, String reason) {
        String qualifier = qualifierPrefix + window.windowEnd();
        Deferral held = deferred.get(kind);
        if (ScaleOutGate.allows(pool.criticality(), budget)) {
            deferred.remove(kind);
            return log.emit(action, null, log.id(action, qualifier), window.windowEnd(), current, desired, purpose,
                    type, target, pool.capacityType(), ScaleOutGate.overBudget(pool.criticality(), budget), List.of(),
                    reason + (held == null ? "" : "; deferred by " + held.commandId() + " since " + held.since()
                            + ", budget now " + budget));
        }
        if (held == null) {
            String id = log.emit(ScaleAction.DEFERRED, action, log.id(ScaleAction.DEFERRED, action + "/" + qualifier),
                    window.windowEnd(), current, desired, purpose, type, target, pool.capacityType(), false, List.of(),
                    reason + "; deferred: budget " + budget + " allows no growth of " + pool.criticality()
                            + " pools");
            deferred.put(kind, new Deferral(kind, id, window.windowEnd(), budget));
        }
        return null;
    }

    List<Deferral> held() {
        return List.copyOf(deferred.values());
    }
}
