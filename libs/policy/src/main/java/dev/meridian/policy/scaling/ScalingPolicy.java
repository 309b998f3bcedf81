package dev.meridian.policy.scaling;

import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.policy.scaling.PoolScalingState.DeferralKind;
import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import dev.meridian.policy.scaling.PoolScalingState.PendingRequest;
import dev.meridian.policy.scaling.PoolScalingState.PendingResize;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The scaling decisions for one pool, as a pure function: {@code (state, snapshot, now) -> (state', commands)}.
 *
 * <p><b>Capacity.</b> {@code current} = serving READY nodes (JOINED, not warm, not draining) + serving capacity
 * requested and not yet arrived. New JOINED nodes count down the oldest pending request of their purpose; a request
 * not fulfilled within the provisioning timeout is dropped, and only then may the same capacity be asked for again.
 *
 * <p><b>Load.</b> The load (GPU for CORE_GPU, CPU for EDGE_CPU) is the average over the pool's <em>serving</em>
 * nodes, and {@code measured} is how many serving nodes it was measured on. The pool window averages over every
 * reporting node, warm ones included (they report about 0 %, so 2 serving nodes at 90 % and 2 warm ones average
 * 45 %). While the pool holds no READY warm node, that average is the serving average, measured on the serving READY
 * nodes that had joined before the window ended. Otherwise the warm nodes are left out: the load is the mean of the
 * serving READY (not draining) nodes' newest loads ({@link PoolNode#load}), over those that have one and had joined
 * before the window ended. No such node (every node warm, or no serving node reported) is no data: the window is
 * neither hot nor cold, so it restarts both counts and never scales anything.
 *
 * <p><b>Scale out.</b> Hot = load above the scale-out threshold (and the optional queue-depth / KV-cache conditions)
 * for {@code sustainWindows} <em>consecutive</em> windows: each must start where the previous ended, so a missing
 * window restarts the count. Then desired = ceil(measured · load / target): the load the window measured, spread
 * over target-loaded nodes. Pending capacity is already in {@code current}, so during a cold start the same need
 * yields desired &le; current and no second request; only load beyond it asks for more. A node that arrives counts
 * in {@code current} at once but is left out of {@code measured} for windows that ended before it joined, so a
 * window measured before an arrival is not multiplied by the larger ready count. Desired is bounded by max and
 * current + maxStep. Warm nodes are activated first (ACTIVATE_WARM, named), the rest provisioned (SCALE_OUT). The
 * hot count restarts after a scale-out, so the next one needs fresh evidence.
 *
 * <p><b>No flapping.</b> Every trigger needs a condition held for a whole period without interruption: hot for
 * {@code sustainWindows} windows, cold for the stabilization window. A window series oscillating around a threshold
 * with a period shorter than that never completes one, and produces no command.
 *
 * <p><b>Scale in.</b> Cold = load below the scale-in threshold in every window for the stabilization window, the
 * cooldown since the last scale-out over, and no serving capacity pending. Desired = ceil(measured · load / target),
 * at least min and at most maxStep below ready. The idlest nodes (lowest newest load, then id) are drained at once
 * and removed by one SCALE_IN after the drain period.
 *
 * <p><b>Vertical.</b> GPU memory peak above its threshold for {@code sustainWindows} windows: RESIZE to the next rung
 * of the ladder, once until the pool shows the new type or the provisioning timeout passes; at the top (or for a
 * type off the ladder) one more node instead.
 *
 * <p><b>Spot.</b> An interruption of a present node not already draining: DRAIN it now and REPLACE it (on demand if
 * the pool allows fallback); SCALE_IN follows at the earlier of the drain period and the reclaim deadline.
 *
 * <p><b>Warm pool.</b> Refilled to {@code warmSize} within the room left under max: a SCALE_OUT whose purpose is
 * {@code WARM_POOL}, so its node counts are the warm pool's. The DRAIN and REPLACE of an interrupted warm node carry
 * {@code WARM_POOL} too; every other command serves.
 *
 * <p><b>Budget gate.</b> Growth (SCALE_OUT, warm refill, RESIZE) passes {@link ScaleOutGate}. A held-back decision
 * is published once as DEFERRED and remembered; while its condition holds it is re-evaluated on every window and
 * issued, with fresh numbers, as soon as the budget allows. If the condition lapses the deferral is dropped.
 *
 * <p><b>Operators.</b> {@link PoolSnapshot#holds()}, taken as they stand at {@code now} (ended holds dropped):
 * <ul>
 * <li>SCALE: the pool is driven to the size asked for once per action (SCALE_OUT of the difference, or the idlest
 * nodes drained and removed after the drain period; a shrink waits for serving capacity on its way), within the
 * registry's min..max, neither gated by the budget nor bounded by max step.
 * <li>SCALE or PAUSE: autoscaling decides nothing (no scale-out or warm activation, scale-in, resize or warm refill);
 * windows are still taken in but count towards no condition, so when the hold ends autoscaling resumes from the
 * current size on fresh evidence (hot, cold and memory counts start afresh; deferrals are dropped). Spot
 * interruptions are still answered (DRAIN, REPLACE, SCALE_IN), drains under way complete, operator drains proceed.
 * <li>OVERRIDE: the override's thresholds, sustain windows and min/max replace the pool's while it holds
 * ({@link OperatorHolds#config}).
 * <li>DRAIN of a node: DRAIN of exactly that node now, SCALE_IN of exactly it after the drain period. CORDON: nothing
 * (routing only).
 * </ul>
 * Commands an operator's action causes carry {@code requestedBy} = the operator and the action id in their reason
 * and id ({@code region/pool/ACTION/operator/<actionId>}). The end of a hold is part of {@code nextCheckAt}.
 *
 * <p><b>Idempotency.</b> A window not newer than the last processed is ignored; interruptions and drains are keyed by
 * node. Deciding again on the same input changes nothing and emits nothing.
 */
public final class ScalingPolicy {

    private final PoolSnapshot input;
    private final ScalingSettings settings;
    private final CapacityLedger ledger;
    private final WindowHistory history;
    private final CommandLog log;
    private final BudgetDeferral deferral;
    private final Resize resize;
    private final DrainCompletion drains;
    private final SpotInterruptions interruptions;
    private final WarmPool warmPool;
    private final ScaleOut scaleOut;
    private final ScaleIn scaleIn;
    private final OperatorHolds holds;
    private final ManualScale manualScale;
    private final OperatorDrains operatorDrains;
    private final String appliedScale;

    /** One decision's working copy; never escapes {@link #decide}. */
    private ScalingPolicy(PoolScalingState state, PoolSnapshot input, Instant now) {
        // An override is part of the pool only while it holds: ended holds are dropped first.
        holds = input.holds().expiredAt(now);
        PoolConfig pool = holds.config(input.config());
        this.input = input;
        this.settings = pool.settings();
        appliedScale = state.appliedScale();
        ledger = new CapacityLedger(state, input, pool, now);
        history = new WindowHistory(state);
        log = new CommandLog(pool, input.budget(), now);
        deferral = new BudgetDeferral(state, pool, input.budget(), log);
        resize = new Resize(state, pool, ledger, history, deferral, now);
        drains = new DrainCompletion(pool, ledger, log);
        interruptions = new SpotInterruptions(pool, ledger, log, now);
        warmPool = new WarmPool(pool, ledger, history, deferral, log);
        scaleOut = new ScaleOut(pool, ledger, history, deferral, warmPool);
        scaleIn = new ScaleIn(pool, ledger, history, log, now);
        manualScale = new ManualScale(input.config(), pool, ledger, log, input.budget(), now);
        operatorDrains = new OperatorDrains(pool, ledger, log, now);
    }

    public static Outcome decide(PoolScalingState state, PoolSnapshot input, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(now, "now");
        return new ScalingPolicy(state, input, now).run();
    }

    /** Time-driven bookkeeping first, so the window is judged against capacity as it stands now. */
    private Outcome run() {
        ledger.countArrivals();
        ledger.dropExpiredRequests();
        resize.settle();
        drains.removeDueNodes();
        interruptions.respond(input.interruptions());
        operatorDrains.drain(holds.drains());
        String scaled = manualScale.drive(holds.scale(), appliedScale);
        PoolUtilization window = input.window();
        if (window != null && history.isNew(window)) {
            if (holds.autoscalingHeld()) {
                history.hold(window);
                deferral.forgetUnwanted();
            } else {
                onWindow(window);
            }
        }
        ledger.settleWarmMarks();
        PoolScalingState next = new PoolScalingState(history.lastWindowEnd(), history.hot(), history.cold(),
                history.memory(), history.lastScaleOutAt(), ledger.pending(), ledger.draining(), deferral.held(),
                resize.pending(), ledger.presentNodeIds(), ledger.activatedWarm(), ledger.warmNodes(), scaled);
        return new Outcome(next, log.commands(), nextCheckAt(next, holds));
    }

    private void onWindow(PoolUtilization window) {
        ServingLoad load = ServingLoad.of(window, ledger);
        history.observe(window, ScaleOut.isHot(window, load, settings), ScaleIn.isCold(load, settings),
                Resize.memoryPressure(window, settings));
        String type = ledger.poolType();
        int memoryNeed = resize.onWindow(window, type);
        boolean growing = scaleOut.decide(window, load, memoryNeed, type);
        // Growth and a resize both answer pressure on the pool: the same window must not also shrink it.
        if (!growing && !deferral.wants(DeferralKind.RESIZE) && load != null) {
            scaleIn.decide(window, load);
        }
        warmPool.refill(window, type);
        deferral.forgetUnwanted();
    }

    /** The earliest deadline of the state, or end of an operator's hold: a hold ending wakes the pool. */
    private static Instant nextCheckAt(PoolScalingState state, OperatorHolds holds) {
        return Stream.of(
                        state.pending().stream().map(PendingRequest::deadline),
                        state.draining().stream().filter(entry -> !entry.scaleInIssued()).map(DrainingNode::deadline),
                        Stream.ofNullable(state.pendingResize()).map(PendingResize::deadline),
                        Stream.ofNullable(holds.nextExpiry()))
                .flatMap(s -> s)
                .min(Comparator.naturalOrder())
                .orElse(null);
    }
}
