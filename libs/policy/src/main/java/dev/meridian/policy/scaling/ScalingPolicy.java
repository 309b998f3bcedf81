package dev.meridian.policy.scaling;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Violation;
import dev.meridian.policy.scaling.PoolScalingState.Deferral;
import dev.meridian.policy.scaling.PoolScalingState.DeferralKind;
import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import dev.meridian.policy.scaling.PoolScalingState.PendingRequest;
import dev.meridian.policy.scaling.PoolScalingState.PendingResize;
import dev.meridian.policy.scaling.PoolScalingState.Purpose;
import dev.meridian.policy.scaling.PoolScalingState.Streak;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Issue 6's scaling decisions for one pool, as a pure function: {@code (state, snapshot, now) -> (state', commands)}.
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
 * <p><b>Warm pool.</b> Refilled to {@code warmSize} within the room left under max (SCALE_OUT counting the warm pool).
 *
 * <p><b>Budget gate.</b> Growth (SCALE_OUT, warm refill, RESIZE) passes {@link ScaleOutGate}. A held-back decision
 * is published once as DEFERRED and remembered; while its condition holds it is re-evaluated on every window and
 * issued, with fresh numbers, as soon as the budget allows. If the condition lapses the deferral is dropped.
 *
 * <p><b>Idempotency.</b> A window not newer than the last processed is ignored; interruptions and drains are keyed by
 * node. Deciding again on the same input changes nothing and emits nothing.
 */
public final class ScalingPolicy {

    /** Absorbs binary rounding in ceil(measured · load / target), e.g. 3 × 70 / 60 must not become 3.5000000001. */
    private static final double CEIL_TOLERANCE = 1e-9;

    private ScalingPolicy() {
    }

    public static Outcome decide(PoolScalingState state, PoolSnapshot input, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(now, "now");
        return new Run(state, input, now).decide();
    }

    /** One decision's working copy; never escapes {@link #decide}. */
    private static final class Run {

        private final PoolScalingState before;
        private final PoolSnapshot input;
        private final PoolConfig pool;
        private final ScalingSettings settings;
        private final Instant now;
        /** JOINED or STALE nodes by id, sorted, so every iteration order is deterministic. */
        private final Map<String, PoolNode> present = new TreeMap<>();
        private final List<ScaleCommand> commands = new ArrayList<>();
        private final List<PendingRequest> pending;
        private final List<DrainingNode> draining;
        private final Map<DeferralKind, Deferral> deferred = new EnumMap<>(DeferralKind.class);
        private final Set<String> activatedWarm;
        private final Set<String> warmNodes;
        private PendingResize pendingResize;
        private Streak hot;
        private Streak cold;
        private Streak memory;
        private Instant lastScaleOutAt;
        private Instant lastWindowEnd;

        Run(PoolScalingState state, PoolSnapshot input, Instant now) {
            this.before = state;
            this.input = input;
            this.pool = input.config();
            this.settings = pool.settings();
            this.now = now;
            input.nodes().stream().filter(PoolNode::present).forEach(node -> present.put(node.nodeId(), node));
            pending = new ArrayList<>(state.pending());
            draining = new ArrayList<>(state.draining());
            state.deferred().forEach(d -> deferred.put(d.kind(), d));
            activatedWarm = new TreeSet<>(state.activatedWarm());
            warmNodes = new TreeSet<>(state.warmNodes());
            pendingResize = state.pendingResize();
            hot = state.hot();
            cold = state.cold();
            memory = state.memory();
            lastScaleOutAt = state.lastScaleOutAt();
            lastWindowEnd = state.lastWindowEnd();
        }

        Outcome decide() {
            countArrivals();
            pending.removeIf(request -> !request.deadline().isAfter(now));
            settleResize();
            completeDrains();
            handleInterruptions();
            PoolUtilization window = input.window();
            if (window != null && (lastWindowEnd == null || window.windowEnd().isAfter(lastWindowEnd))) {
                onWindow(window);
                lastWindowEnd = window.windowEnd();
            }
            // Once the inventory no longer marks an activated node warm, the inventory is the truth again.
            activatedWarm.removeIf(id -> !(present.containsKey(id) && present.get(id).warm()));
            warmNodes.retainAll(present.keySet());
            PoolScalingState next = new PoolScalingState(lastWindowEnd, hot, cold, memory, lastScaleOutAt, pending,
                    draining, List.copyOf(deferred.values()), pendingResize, List.copyOf(present.keySet()),
                    List.copyOf(activatedWarm), List.copyOf(warmNodes));
            return new Outcome(next, commands, nextCheckAt(next));
        }

        // ---- time-driven bookkeeping -------------------------------------------------------------------------

        private void countArrivals() {
            Set<String> known = new HashSet<>(before.knownNodes());
            for (PoolNode node : present.values()) {
                if (node.ready() && !known.contains(node.nodeId())) {
                    Purpose fulfilled = fulfil(node.warm() ? Purpose.WARM : Purpose.SERVE);
                    if (!node.warm() && fulfilled == Purpose.WARM) {
                        warmNodes.add(node.nodeId());
                    }
                }
            }
        }

        /**
         * A node is a node: if nothing of its purpose is pending, it still fulfils the oldest other request.
         *
         * @return the purpose of the request it fulfilled, null when nothing was pending
         */
        private Purpose fulfil(Purpose purpose) {
            int index = -1;
            for (int i = 0; i < pending.size() && index < 0; i++) {
                if (pending.get(i).purpose() == purpose) {
                    index = i;
                }
            }
            if (index < 0 && !pending.isEmpty()) {
                index = 0;
            }
            if (index < 0) {
                return null;
            }
            PendingRequest request = pending.get(index);
            if (request.remaining() == 1) {
                pending.remove(index);
            } else {
                pending.set(index, new PendingRequest(request.commandId(), request.purpose(),
                        request.remaining() - 1, request.requestedAt(), request.deadline()));
            }
            return request.purpose();
        }

        private void settleResize() {
            if (pendingResize != null && (!pendingResize.deadline().isAfter(now)
                    || poolType().equals(pendingResize.targetType()))) {
                pendingResize = null;
            }
        }

        private void completeDrains() {
            draining.removeIf(entry -> !present.containsKey(entry.nodeId()));
            Map<String, List<DrainingNode>> due = new LinkedHashMap<>();
            for (DrainingNode entry : draining) {
                if (!entry.scaleInIssued() && !entry.deadline().isAfter(now)) {
                    due.computeIfAbsent(entry.origin(), origin -> new ArrayList<>()).add(entry);
                }
            }
            for (Map.Entry<String, List<DrainingNode>> group : due.entrySet()) {
                List<String> ids = group.getValue().stream().map(DrainingNode::nodeId).sorted().toList();
                int remaining = servingCapacity();
                emit(ScaleAction.SCALE_IN, null, CommandIds.of(pool.region(), pool.pool(), ScaleAction.SCALE_IN,
                        group.getKey()), null, remaining + ids.size(), remaining, null, null, pool.capacityType(),
                        false, ids, "drain period over for " + ids.size() + " node(s) drained by "
                                + group.getValue().get(0).drainCommandId() + "; remove " + String.join(", ", ids));
                for (int i = 0; i < draining.size(); i++) {
                    DrainingNode entry = draining.get(i);
                    if (ids.contains(entry.nodeId()) && entry.origin().equals(group.getKey())) {
                        draining.set(i, new DrainingNode(entry.nodeId(), entry.origin(), entry.drainCommandId(),
                                entry.deadline(), true));
                    }
                }
            }
        }

        private void handleInterruptions() {
            List<Interruption> notices = input.interruptions().stream()
                    .sorted(Comparator.comparing(Interruption::noticeAt).thenComparing(Interruption::nodeId))
                    .toList();
            for (Interruption notice : notices) {
                PoolNode node = present.get(notice.nodeId());
                if (node == null || !node.ready() || isDraining(node.nodeId())) {
                    continue;
                }
                boolean warm = isWarm(node);
                String origin = node.nodeId() + "/" + notice.noticeAt();
                String drainId = CommandIds.of(pool.region(), pool.pool(), ScaleAction.DRAIN, origin);
                int beforeDrain = warm ? warmCapacity() : servingCapacity();
                Instant drainEnd = now.plus(settings.drainPeriod());
                draining.add(new DrainingNode(node.nodeId(), origin, drainId,
                        drainEnd.isBefore(notice.deadline()) ? drainEnd : notice.deadline(), false));
                int afterDrain = warm ? warmCapacity() : servingCapacity();
                String what = (warm ? "warm" : "serving") + " spot node " + node.nodeId();
                emit(ScaleAction.DRAIN, null, drainId, null, beforeDrain, afterDrain, node.instanceType(), null,
                        node.capacityType(), false, List.of(node.nodeId()), "interruption notice for " + what
                                + " at " + notice.noticeAt() + ", reclaimed at " + notice.deadline()
                                + " (" + notice.source() + "): drain at once");
                CapacityType replacement = pool.spotFallback() ? CapacityType.ON_DEMAND : node.capacityType();
                String replaceId = CommandIds.of(pool.region(), pool.pool(), ScaleAction.REPLACE, origin);
                emit(ScaleAction.REPLACE, null, replaceId, null, afterDrain, afterDrain + 1, node.instanceType(), null,
                        replacement, false, List.of(node.nodeId()), "replace interrupted " + what + " with "
                                + replacement + (pool.spotFallback() ? " (spot fallback allowed)"
                                        : " (no spot fallback)"));
                pending.add(new PendingRequest(replaceId, warm ? Purpose.WARM : Purpose.SERVE, 1, now,
                        now.plus(settings.provisioningTimeout())));
            }
        }

        // ---- window-driven decisions ---------------------------------------------------------------------------

        private void onWindow(PoolUtilization window) {
            ServingLoad load = servingLoad(window);
            hot = extend(hot, load != null && load.value() > settings.scaleOutUtilization()
                    && combinedConditionsHold(window), window);
            cold = extend(cold, load != null && load.value() < settings.scaleInUtilization(), window);
            memory = extend(memory, window.gpuMemPeakPct() > settings.memoryResizeUtilization(), window);
            Set<DeferralKind> stillWanted = EnumSet.noneOf(DeferralKind.class);

            String type = poolType();
            int memoryNeed = 0;
            if (memory.windows() >= settings.sustainWindows()) {
                Optional<String> next = pool.nextType(type);
                if (next.isEmpty()) {
                    // Memory pressure on the ready nodes eases only when the node asked for arrives: ask once.
                    memoryNeed = pendingServing() == 0 ? servingCapacity() + 1 : 0;
                } else if (pendingResize == null) {
                    stillWanted.add(DeferralKind.RESIZE);
                    resize(window, type, next.get());
                }
            }

            boolean growing = scaleOut(window, load, memoryNeed, type, stillWanted);
            if (!growing && !stillWanted.contains(DeferralKind.RESIZE) && load != null) {
                scaleIn(window, load);
            }
            refillWarmPool(window, type, stillWanted);
            deferred.keySet().retainAll(stillWanted);
        }

        private boolean combinedConditionsHold(PoolUtilization window) {
            Double queue = settings.queueDepthThreshold();
            Double kv = settings.kvCacheThreshold();
            return (queue == null || (window.queueDepthAvg() != null && window.queueDepthAvg() > queue))
                    && (kv == null || (window.kvCacheAvg() != null && window.kvCacheAvg() > kv));
        }

        private void resize(PoolUtilization window, String type, String target) {
            int current = servingCapacity();
            String reason = "gpu memory peak " + num(window.gpuMemPeakPct()) + " % > "
                    + num(settings.memoryResizeUtilization()) + " % for " + memory.windows() + " windows; resize "
                    + type + " -> " + target + " (next rung of " + String.join(" < ", pool.ladder()) + ")";
            String id = gated(DeferralKind.RESIZE, ScaleAction.RESIZE, "", window, current, current, type, target,
                    reason);
            if (id != null) {
                pendingResize = new PendingResize(id, target, now.plus(settings.provisioningTimeout()));
                memory = Streak.NONE;
            }
        }

        /**
         * The load the scaling rules judge: the serving nodes' average and how many nodes it was measured on; null
         * when no serving node was measured (see the class Javadoc).
         */
        private ServingLoad servingLoad(PoolUtilization window) {
            List<PoolNode> measured = servingReady().stream()
                    .filter(node -> node.measuredBy(window.windowEnd()))
                    .toList();
            int warm = (int) present.values().stream().filter(node -> node.ready() && isWarm(node)).count();
            if (warm == 0) {
                // Every node the window averaged over serves (or drains): its average is the serving average.
                return measured.isEmpty() ? null : new ServingLoad(window.load(), measured.size(), 0);
            }
            double[] loads = measured.stream().map(PoolNode::load).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).toArray();
            if (loads.length == 0) {
                return null;
            }
            double sum = 0;
            for (double value : loads) {
                sum += value;
            }
            return new ServingLoad(sum / loads.length, loads.length, warm);
        }

        /** Returns whether growth was decided (issued or deferred) in this window. */
        private boolean scaleOut(PoolUtilization window, ServingLoad load, int memoryNeed, String type,
                Set<DeferralKind> stillWanted) {
            boolean loadHot = hot.windows() >= settings.sustainWindows();
            if (!loadHot && memoryNeed == 0) {
                return false;
            }
            int ready = servingReady().size();
            int pendingServe = pendingServing();
            int current = ready + pendingServe;
            // A hot count only grows on windows with a serving load, so a completed one has this window's.
            int loadNeed = loadHot ? ceil(load.measured() * load.value() / settings.targetUtilization()) : 0;
            int need = Math.max(loadNeed, memoryNeed);
            int bounded = Math.min(need, Math.min(pool.maxSize(), current + settings.maxStep()));
            if (bounded <= current) {
                return false;
            }
            stillWanted.add(DeferralKind.SCALE_OUT);
            StringBuilder basis = new StringBuilder();
            if (loadHot) {
                basis.append(loadName()).append(' ').append(num(load.value())).append(" % > ")
                        .append(num(settings.scaleOutUtilization())).append(" %").append(combinedNote(window))
                        .append(" for ").append(hot.windows()).append(" windows").append(load.note(ready))
                        .append("; desired ceil(").append(load.measured()).append(" × ").append(num(load.value()))
                        .append(" / ").append(num(settings.targetUtilization())).append(") = ").append(loadNeed);
            }
            if (memoryNeed > 0) {
                basis.append(loadHot ? "; " : "").append("gpu memory peak ").append(num(window.gpuMemPeakPct()))
                        .append(" % > ").append(num(settings.memoryResizeUtilization())).append(" % for ")
                        .append(memory.windows()).append(" windows at the top of the ladder (").append(type)
                        .append("): desired ").append(current).append(" + 1 = ").append(memoryNeed);
            }
            basis.append("; current ").append(current).append(" (").append(ready).append(" ready + ")
                    .append(pendingServe).append(" pending)");
            if (bounded < need) {
                basis.append("; bounded by ").append(bounded == pool.maxSize() ? "max " + pool.maxSize()
                        : "step " + settings.maxStep()).append(" to ").append(bounded);
            }

            List<String> warm = warmReady().stream().map(PoolNode::nodeId).limit(bounded - current).toList();
            if (!warm.isEmpty()) {
                emit(ScaleAction.ACTIVATE_WARM, null, CommandIds.of(pool.region(), pool.pool(),
                        ScaleAction.ACTIVATE_WARM, window.windowEnd().toString()), window.windowEnd(), current,
                        current + warm.size(), type, null, pool.capacityType(), false, warm,
                        basis + "; activate " + warm.size() + " warm node(s) first");
                activatedWarm.addAll(warm);
                warmNodes.removeAll(warm);
                lastScaleOutAt = window.windowEnd();
            }
            int afterWarm = current + warm.size();
            boolean done = true;
            if (bounded > afterWarm) {
                String id = gated(DeferralKind.SCALE_OUT, ScaleAction.SCALE_OUT, "", window, afterWarm, bounded, type,
                        null, basis + "; provision " + (bounded - afterWarm)
                                + (warm.isEmpty() ? "" : " after " + warm.size() + " warm"));
                done = id != null;
                if (done) {
                    pending.add(new PendingRequest(id, Purpose.SERVE, bounded - afterWarm, now,
                            now.plus(settings.provisioningTimeout())));
                    lastScaleOutAt = window.windowEnd();
                }
            }
            if (done) {
                // Fresh evidence for the next step: the capacity just asked for changes the load it is judged on.
                hot = Streak.NONE;
                if (memoryNeed > 0) {
                    memory = Streak.NONE;
                }
            }
            return true;
        }

        private void scaleIn(PoolUtilization window, ServingLoad load) {
            boolean stable = cold.windows() > 0
                    && Duration.between(cold.since(), window.windowEnd()).compareTo(settings.stabilization()) >= 0;
            boolean cooledDown = lastScaleOutAt == null
                    || !window.windowEnd().isBefore(lastScaleOutAt.plus(settings.cooldown()));
            // Shrinking while capacity is on its way would contradict the request that is still in flight.
            if (!stable || !cooledDown || pendingServing() > 0) {
                return;
            }
            List<PoolNode> ready = servingReady();
            int raw = ceil(load.measured() * load.value() / settings.targetUtilization());
            int desired = Math.max(pool.minSize(), Math.max(raw, ready.size() - settings.maxStep()));
            if (desired >= ready.size()) {
                return;
            }
            List<String> victims = ready.stream()
                    .sorted(Comparator.comparingDouble((PoolNode node) -> node.load() == null ? 0 : node.load())
                            .thenComparing(PoolNode::nodeId))
                    .limit(ready.size() - desired)
                    .map(PoolNode::nodeId)
                    .sorted()
                    .toList();
            String origin = window.windowEnd().toString();
            String drainId = CommandIds.of(pool.region(), pool.pool(), ScaleAction.DRAIN, origin);
            String bound = desired == raw ? "" : desired == pool.minSize() ? "; bounded by min " + pool.minSize()
                    : "; bounded by step " + settings.maxStep();
            emit(ScaleAction.DRAIN, null, drainId, window.windowEnd(), ready.size(), desired, null, null,
                    pool.capacityType(), false, victims, loadName() + " " + num(load.value()) + " % < "
                            + num(settings.scaleInUtilization()) + " % for " + cold.windows() + " windows since "
                            + cold.since() + load.note(ready.size()) + "; desired ceil(" + load.measured() + " × "
                            + num(load.value()) + " / "
                            + num(settings.targetUtilization()) + ") = " + raw + bound + "; drain idlest "
                            + String.join(", ", victims) + ", SCALE_IN after " + settings.drainPeriod());
            Instant deadline = now.plus(settings.drainPeriod());
            victims.forEach(id -> draining.add(new DrainingNode(id, origin, drainId, deadline, false)));
            cold = Streak.NONE;
        }

        private void refillWarmPool(PoolUtilization window, String type, Set<DeferralKind> stillWanted) {
            int warmCapacity = warmCapacity();
            int room = pool.maxSize() - servingCapacity() - warmCapacity;
            int refill = Math.min(pool.warmSize() - warmCapacity, room);
            if (refill <= 0) {
                return;
            }
            stillWanted.add(DeferralKind.WARM_REFILL);
            String id = gated(DeferralKind.WARM_REFILL, ScaleAction.SCALE_OUT, "warm/", window, warmCapacity,
                    warmCapacity + refill, type, null, "refill warm pool: " + warmReady().size() + " warm + "
                            + pendingWarm() + " pending of " + pool.warmSize() + "; provision " + refill
                            + " warm" + (refill < pool.warmSize() - warmCapacity ? " (bounded by max "
                                    + pool.maxSize() + ")" : ""));
            if (id != null) {
                pending.add(new PendingRequest(id, Purpose.WARM, refill, now,
                        now.plus(settings.provisioningTimeout())));
            }
        }

        /**
         * Issues a growth command if the budget gate allows it and returns its id; otherwise publishes DEFERRED the
         * first time only and returns null.
         */
        private String gated(DeferralKind kind, ScaleAction action, String qualifierPrefix, PoolUtilization window,
                int current, int desired, String type, String target, String reason) {
            String qualifier = qualifierPrefix + window.windowEnd();
            Deferral held = deferred.get(kind);
            if (ScaleOutGate.allows(pool.criticality(), input.budget())) {
                deferred.remove(kind);
                String id = CommandIds.of(pool.region(), pool.pool(), action, qualifier);
                return emit(action, null, id, window.windowEnd(), current, desired, type, target, pool.capacityType(),
                        ScaleOutGate.overBudget(pool.criticality(), input.budget()), List.of(),
                        reason + (held == null ? "" : "; deferred by " + held.commandId() + " since " + held.since()
                                + ", budget now " + input.budget()));
            }
            if (held == null) {
                String id = CommandIds.of(pool.region(), pool.pool(), ScaleAction.DEFERRED, action + "/" + qualifier);
                emit(ScaleAction.DEFERRED, action, id, window.windowEnd(), current, desired, type, target,
                        pool.capacityType(), false, List.of(), reason + "; deferred: budget " + input.budget()
                                + " allows no growth of " + pool.criticality() + " pools");
                deferred.put(kind, new Deferral(kind, id, window.windowEnd(), input.budget()));
            }
            return null;
        }

        private String emit(ScaleAction action, ScaleAction deferredAction, String id, Instant trigger, int current,
                int desired, String type, String target, CapacityType capacity, boolean overBudget, List<String> nodes,
                String reason) {
            String text = reason.length() <= Checks.MAX_TEXT_LENGTH ? reason
                    : reason.substring(0, Checks.MAX_TEXT_LENGTH - 1) + "…";
            ScaleCommand command = new ScaleCommand(id, pool.region(), pool.pool(), action, deferredAction, now,
                    trigger, current, desired, desired - current, type, target, capacity, pool.criticality(),
                    input.budget(), overBudget, nodes, text);
            List<Violation> violations = command.violations();
            if (!violations.isEmpty()) {
                throw new IllegalStateException("scaling policy built an invalid command: " + violations);
            }
            commands.add(command);
            return id;
        }

        // ---- views of the pool -----------------------------------------------------------------------------------

        private boolean isDraining(String nodeId) {
            return draining.stream().anyMatch(entry -> entry.nodeId().equals(nodeId));
        }

        private boolean isWarm(PoolNode node) {
            return (node.warm() || warmNodes.contains(node.nodeId())) && !activatedWarm.contains(node.nodeId());
        }

        private List<PoolNode> servingReady() {
            return present.values().stream()
                    .filter(node -> node.ready() && !isWarm(node) && !isDraining(node.nodeId()))
                    .toList();
        }

        private List<PoolNode> warmReady() {
            return present.values().stream()
                    .filter(node -> node.ready() && isWarm(node) && !isDraining(node.nodeId()))
                    .toList();
        }

        private int pendingServing() {
            return pending.stream().filter(p -> p.purpose() == Purpose.SERVE).mapToInt(PendingRequest::remaining)
                    .sum();
        }

        private int pendingWarm() {
            return pending.stream().filter(p -> p.purpose() == Purpose.WARM).mapToInt(PendingRequest::remaining)
                    .sum();
        }

        private int servingCapacity() {
            return servingReady().size() + pendingServing();
        }

        private int warmCapacity() {
            return warmReady().size() + pendingWarm();
        }

        /**
         * The type the pool runs: the most common among serving READY nodes, the lower rung on a tie (a half-done
         * resize is not yet done); the bottom rung for an empty pool.
         */
        private String poolType() {
            Map<String, Integer> counts = new HashMap<>();
            servingReady().forEach(node -> counts.merge(node.instanceType(), 1, Integer::sum));
            return counts.entrySet().stream()
                    .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                            .thenComparing(entry -> -rung(entry.getKey()))
                            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                    .map(Map.Entry::getKey)
                    .orElse(pool.ladder().get(0));
        }

        private int rung(String type) {
            int index = pool.ladder().indexOf(type);
            return index < 0 ? Integer.MAX_VALUE : index;
        }

        private String loadName() {
            return pool.tier() == Tier.EDGE_CPU ? "cpu" : "gpu";
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

    /**
     * A window's load on the serving nodes.
     *
     * @param value      average load over the serving nodes measured, percent
     * @param measured   how many serving nodes it was measured on
     * @param warmLeftOut READY warm nodes left out of the average
     */
    private record ServingLoad(double value, int measured, int warmLeftOut) {

        /** Empty in the common case: every serving node measured, no warm node in the pool. */
        String note(int ready) {
            List<String> parts = new ArrayList<>();
            if (warmLeftOut > 0) {
                parts.add("serving nodes only, " + warmLeftOut + " warm left out");
            }
            if (measured < ready) {
                parts.add("measured on " + measured + " of " + ready + " ready");
            }
            return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
        }
    }

    static Streak extend(Streak streak, boolean holds, PoolUtilization window) {
        if (!holds) {
            return Streak.NONE;
        }
        if (streak.windows() > 0 && window.windowStart().equals(streak.lastEnd())) {
            return new Streak(streak.windows() + 1, streak.since(), window.windowEnd());
        }
        return new Streak(1, window.windowStart(), window.windowEnd());
    }

    static int ceil(double value) {
        return (int) Math.ceil(value - CEIL_TOLERANCE);
    }

    /** Locale-free, at most two decimals, no trailing zeros: 87.5, 80, 33.33. */
    static String num(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static Instant nextCheckAt(PoolScalingState state) {
        return Stream.of(
                        state.pending().stream().map(PendingRequest::deadline),
                        state.draining().stream().filter(entry -> !entry.scaleInIssued()).map(DrainingNode::deadline),
                        Stream.ofNullable(state.pendingResize()).map(PendingResize::deadline))
                .flatMap(s -> s)
                .min(Comparator.naturalOrder())
                .orElse(null);
    }
}
