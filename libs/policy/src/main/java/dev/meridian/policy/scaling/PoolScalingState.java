package dev.meridian.policy.scaling;

import dev.meridian.contracts.cost.BudgetState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the scaler remembers about one pool between decisions. Immutable and made of records, lists, enums and
 * {@link Instant}s only, so the service can keep it as one value per {@code region/pool} in a changelogged store:
 * restoring it restores every sustain count, cooldown, pending request and drain, and decisions resume as if there
 * had been no restart. Absent values are null rather than {@code Optional}, which serializes plainly.
 *
 * @param lastWindowEnd  end of the newest window processed; older or equal windows are ignored (idempotency)
 * @param hot            consecutive windows above the scale-out threshold (and the combined conditions)
 * @param cold           consecutive windows below the scale-in threshold
 * @param memory         consecutive windows with the GPU memory peak above the resize threshold
 * @param lastScaleOutAt end of the window that triggered the last scale-out or warm activation (cooldown)
 * @param pending        capacity requested and not yet arrived, oldest first
 * @param draining       nodes under a DRAIN; kept until the node leaves the inventory, so a node already handed to
 *                       SCALE_IN is never counted as capacity or drained again
 * @param deferred       decisions the budget gate held back, at most one per kind: each was published once as
 *                       DEFERRED and is retried on every window while its condition still holds
 * @param pendingResize  a RESIZE not yet visible in the inventory
 * @param knownNodes     ids of the present nodes at the last decision, sorted; a node not among them is an arrival
 * @param activatedWarm  warm nodes handed to ACTIVATE_WARM whose warm mark the inventory still shows, sorted
 * @param warmNodes      nodes that arrived for a warm-pool request and were not activated since, sorted: the
 *                       scaler's own warm mark for inventories that carry none (see {@link ScalingPolicy})
 * @param appliedScale   the operator SCALE ({@link OperatorHolds.ScaleHold#actionId()}) the pool was driven to its
 *                       size for; null when none holds. A SCALE is carried out once: deciding again while it holds
 *                       changes nothing
 */
public record PoolScalingState(
        Instant lastWindowEnd,
        Streak hot,
        Streak cold,
        Streak memory,
        Instant lastScaleOutAt,
        List<PendingRequest> pending,
        List<DrainingNode> draining,
        List<Deferral> deferred,
        PendingResize pendingResize,
        List<String> knownNodes,
        List<String> activatedWarm,
        List<String> warmNodes,
        String appliedScale) {

    public static final PoolScalingState INITIAL = new PoolScalingState(null, Streak.NONE, Streak.NONE, Streak.NONE,
            null, List.of(), List.of(), List.of(), null, List.of(), List.of(), List.of(), null);

    public PoolScalingState {
        hot = hot == null ? Streak.NONE : hot;
        cold = cold == null ? Streak.NONE : cold;
        memory = memory == null ? Streak.NONE : memory;
        pending = List.copyOf(pending);
        draining = List.copyOf(draining);
        deferred = List.copyOf(deferred);
        knownNodes = knownNodes.stream().sorted().distinct().toList();
        activatedWarm = activatedWarm.stream().sorted().distinct().toList();
        warmNodes = warmNodes == null ? List.of() : warmNodes.stream().sorted().distinct().toList();
    }

    /** A state of a pool no operator SCALE holds. */
    public PoolScalingState(Instant lastWindowEnd, Streak hot, Streak cold, Streak memory, Instant lastScaleOutAt,
            List<PendingRequest> pending, List<DrainingNode> draining, List<Deferral> deferred,
            PendingResize pendingResize, List<String> knownNodes, List<String> activatedWarm, List<String> warmNodes) {
        this(lastWindowEnd, hot, cold, memory, lastScaleOutAt, pending, draining, deferred, pendingResize, knownNodes,
                activatedWarm, warmNodes, null);
    }

    /** Serving capacity requested and not yet arrived: part of {@code current}. */
    public int pendingServing() {
        return pending.stream().filter(p -> p.purpose() == Purpose.SERVE).mapToInt(PendingRequest::remaining).sum();
    }

    /** Warm-pool capacity requested and not yet arrived. */
    public int pendingWarm() {
        return pending.stream().filter(p -> p.purpose() == Purpose.WARM).mapToInt(PendingRequest::remaining).sum();
    }

    /**
     * Consecutive windows for which a condition held.
     *
     * @param windows how many, 0 when the condition does not hold
     * @param since   start of the first of them
     * @param lastEnd end of the newest; the next window continues the streak only if it starts exactly there
     */
    public record Streak(int windows, Instant since, Instant lastEnd) {

        public static final Streak NONE = new Streak(0, null, null);

        public Streak {
            if (windows < 0 || (windows > 0) != (since != null && lastEnd != null)) {
                throw new IllegalArgumentException("a streak of " + windows + " windows needs since and lastEnd "
                        + "exactly when it is not empty");
            }
        }
    }

    /** What requested capacity is for. */
    public enum Purpose {
        /** Serving capacity: scale-out and replacement of serving nodes. */
        SERVE,
        /** Warm-pool refill and replacement of warm nodes. */
        WARM
    }

    /**
     * Capacity asked for by one command and not arrived yet.
     *
     * @param remaining nodes still to arrive; arrivals count down the oldest request of their purpose first
     * @param deadline  the request is given up at this instant (requested + provisioning timeout)
     */
    public record PendingRequest(String commandId, Purpose purpose, int remaining, Instant requestedAt,
            Instant deadline) {

        public PendingRequest {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(requestedAt, "requestedAt");
            Objects.requireNonNull(deadline, "deadline");
            if (remaining < 1) {
                throw new IllegalArgumentException("a pending request waits for at least one node, was " + remaining);
            }
        }
    }

    /**
     * A node under DRAIN.
     *
     * @param origin         what the DRAIN came from (window end of a scale-in, or node and notice time of an
     *                       interruption); nodes drained together are removed by one SCALE_IN
     * @param deadline       SCALE_IN is due at this instant
     * @param scaleInIssued  the SCALE_IN was emitted; the entry stays until the node leaves the inventory
     * @param requestedBy    the operator whose action drained it (a DRAIN, a manual SCALE), who the SCALE_IN is
     *                       then stamped with too; null for the scaler's own drains
     */
    public record DrainingNode(String nodeId, String origin, String drainCommandId, Instant deadline,
            boolean scaleInIssued, String requestedBy) {

        public DrainingNode {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(drainCommandId, "drainCommandId");
            Objects.requireNonNull(deadline, "deadline");
        }

        /** A drain of the scaler's own. */
        public DrainingNode(String nodeId, String origin, String drainCommandId, Instant deadline,
                boolean scaleInIssued) {
            this(nodeId, origin, drainCommandId, deadline, scaleInIssued, null);
        }
    }

    /** What the budget gate can hold back. */
    public enum DeferralKind {
        SCALE_OUT, WARM_REFILL, RESIZE
    }

    /**
     * A decision the budget gate held back and published as DEFERRED.
     *
     * @param since end of the window whose decision was deferred
     */
    public record Deferral(DeferralKind kind, String commandId, Instant since, BudgetState budgetState) {

        public Deferral {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(budgetState, "budgetState");
        }
    }

    /** A RESIZE in flight: no second one until the pool shows {@code targetType} or {@code deadline} passes. */
    public record PendingResize(String commandId, String targetType, Instant deadline) {

        public PendingResize {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(targetType, "targetType");
            Objects.requireNonNull(deadline, "deadline");
        }
    }
}
