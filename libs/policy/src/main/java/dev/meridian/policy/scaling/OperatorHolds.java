package dev.meridian.policy.scaling;

import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionOverride;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What operators' actions currently hold for one pool: a manual size, a pause of autoscaling, an override of its
 * settings (each until a time), and per node a CORDON or DRAIN. {@link ScalingPolicy} honours them through
 * {@link PoolSnapshot#holds()}: while a SCALE or PAUSE holds, autoscaling decides nothing (spot interruptions and
 * drains under way still complete); an OVERRIDE's settings and bounds replace the pool's; a DRAIN drains exactly its
 * node and removes it after the drain period; a CORDON is the scheduler's (routing only).
 *
 * <p>Immutable and made of records, maps, enums and {@link Instant}s only, absent values null rather than
 * {@code Optional}: the scaler keeps it as one value per {@code region/pool} in a changelogged store, like
 * {@link PoolScalingState}. It holds no region or pool of its own: check an action with {@link #rejection} before
 * {@link #with} takes it in.
 *
 * @param scale    the manual size, null when none
 * @param pause    the pause of autoscaling, null when none
 * @param override the settings override, null when none
 * @param nodes    the CORDON or DRAIN action in force per node id, sorted by id
 */
public record OperatorHolds(ScaleHold scale, PauseHold pause, OverrideHold override,
        Map<String, OperatorAction> nodes) {

    public static final OperatorHolds NONE = new OperatorHolds(null, null, null, Map.of());

    public OperatorHolds {
        TreeMap<String, OperatorAction> sorted = new TreeMap<>(nodes == null ? Map.of() : nodes);
        sorted.forEach((nodeId, action) -> {
            if (!(action.kind() == ActionKind.CORDON || action.kind() == ActionKind.DRAIN)
                    || !nodeId.equals(action.nodeId())) {
                throw new IllegalArgumentException("a node hold is the CORDON or DRAIN of its own node, was "
                        + action.kind() + " of " + action.nodeId() + " under " + nodeId);
            }
        });
        nodes = Collections.unmodifiableMap(sorted);
    }

    /**
     * The holds after {@code action}: a SCALE, PAUSE or OVERRIDE replaces the previous one of its kind, RESUME ends a
     * pause, CORDON and DRAIN replace what held for their node and UNCORDON ends it. RESUME without a pause and
     * UNCORDON of a node without a hold change nothing. The time is not judged here: see {@link #rejection}.
     */
    public OperatorHolds with(OperatorAction action) {
        Objects.requireNonNull(action, "action");
        return switch (action.kind()) {
            case SCALE -> new OperatorHolds(new ScaleHold(action.actionId(), action.nodes(), action.until(),
                    action.actor()), pause, override, nodes);
            case PAUSE -> new OperatorHolds(scale, new PauseHold(action.actionId(), action.until(), action.actor()),
                    override, nodes);
            case RESUME -> pause == null ? this : new OperatorHolds(scale, null, override, nodes);
            case OVERRIDE -> new OperatorHolds(scale, pause, new OverrideHold(action.actionId(), action.override(),
                    action.until(), action.actor()), nodes);
            case CORDON, DRAIN -> new OperatorHolds(scale, pause, override, withNode(action.nodeId(), action));
            case UNCORDON -> nodes.containsKey(action.nodeId())
                    ? new OperatorHolds(scale, pause, override, withNode(action.nodeId(), null)) : this;
        };
    }

    /** Without what ended by {@code now} (its {@code until} is not after it); node holds have no end. */
    public OperatorHolds expiredAt(Instant now) {
        Objects.requireNonNull(now, "now");
        ScaleHold s = scale != null && now.isBefore(scale.until()) ? scale : null;
        PauseHold p = pause != null && (pause.until() == null || now.isBefore(pause.until())) ? pause : null;
        OverrideHold o = override != null && now.isBefore(override.until()) ? override : null;
        return s == scale && p == pause && o == override ? this : new OperatorHolds(s, p, o, nodes);
    }

    /** Without the node holds of nodes no longer in the pool (the scaler's store need not keep departed nodes). */
    public OperatorHolds retainNodes(Collection<String> presentNodeIds) {
        Map<String, OperatorAction> kept = new TreeMap<>(nodes);
        kept.keySet().retainAll(Set.copyOf(presentNodeIds));
        return kept.size() == nodes.size() ? this : new OperatorHolds(scale, pause, override, kept);
    }

    /**
     * Why the scaler cannot take {@code action} in for {@code pool} at {@code now}, as a sentence for the
     * ActionResult; empty when it can. Refused: an invalid action, one for another pool, an {@code until} already
     * past, a SCALE outside the pool's {@code minSize..maxSize}, a CORDON or DRAIN of a node not in the pool, and an
     * OVERRIDE that does not fit the pool: its {@code maxNodes} above the pool's {@code maxSize} (the registry's max
     * is the ceiling an operator may lower, not lift), min above max once merged with the pool's, or thresholds that
     * contradict once merged with the pool's settings (scale-in &lt; target &lt; scale-out). UNCORDON of an unknown
     * node and RESUME without a pause are accepted: they change nothing.
     *
     * @param pool           the pool as the scaler decides it (the registry's row, its overrides merged)
     * @param presentNodeIds the pool's nodes that have not LEFT (JOINED or STALE)
     */
    public static Optional<String> rejection(OperatorAction action, PoolConfig pool, Set<String> presentNodeIds,
            Instant now) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(presentNodeIds, "presentNodeIds");
        Objects.requireNonNull(now, "now");
        List<Violation> violations = action.violations();
        if (!violations.isEmpty()) {
            return Optional.of("invalid action: " + violations.get(0).message());
        }
        if (!(action.region().equals(pool.region()) && action.pool().equals(pool.pool()))) {
            return Optional.of(action.kind() + " is for pool " + action.region() + "/" + action.pool() + ", not "
                    + pool.key());
        }
        if (action.until() != null && !now.isBefore(action.until())) {
            return Optional.of(action.kind() + " until " + action.until() + " has already ended (now " + now + ")");
        }
        return switch (action.kind()) {
            case SCALE -> action.nodes() < pool.minSize() || action.nodes() > pool.maxSize()
                    ? Optional.of("SCALE to " + action.nodes() + " nodes is outside the bounds of pool " + pool.key()
                            + " (" + pool.minSize() + ".." + pool.maxSize() + ")")
                    : Optional.empty();
            case CORDON, DRAIN -> presentNodeIds.contains(action.nodeId()) ? Optional.empty()
                    : Optional.of(action.kind() + " of node " + action.nodeId() + ": no such node in pool "
                            + pool.key());
            case OVERRIDE -> OverrideHold.misfit(action.override(), pool);
            case PAUSE, RESUME, UNCORDON -> Optional.empty();
        };
    }

    /** The nodes out of routing: cordoned and drained, sorted. */
    public Set<String> cordoned() {
        return Collections.unmodifiableSet(new TreeSet<>(nodes.keySet()));
    }

    /**
     * {@code base} with the override's thresholds and sustain windows; {@code base} itself when no override holds.
     * Apply it to holds already {@link #expiredAt} the decision's time, as {@link ScalingPolicy} does. Thresholds
     * that no longer fit {@code base} (the registry changed since the override was accepted) are left out, never
     * thrown: the pool's own then apply.
     */
    public ScalingSettings settings(ScalingSettings base) {
        Objects.requireNonNull(base, "base");
        return override == null ? base : override.applyTo(base);
    }

    /** The pool's min as the override sets it; the pool's own without one, or when the bounds no longer fit. */
    public int minSize(PoolConfig pool) {
        return bounds(pool)[0];
    }

    /** The pool's max as the override sets it; the pool's own without one, or when the bounds no longer fit. */
    public int maxSize(PoolConfig pool) {
        return bounds(pool)[1];
    }

    /**
     * {@code pool} as autoscaling decides it under these holds: the override's {@link #settings}, {@link #minSize}
     * and {@link #maxSize} (the warm pool bounded by that max); {@code pool} itself without an override.
     */
    public PoolConfig config(PoolConfig pool) {
        Objects.requireNonNull(pool, "pool");
        if (override == null) {
            return pool;
        }
        int[] bounds = bounds(pool);
        return new PoolConfig(pool.region(), pool.pool(), pool.tier(), bounds[0], bounds[1],
                Math.min(pool.warmSize(), bounds[1]), pool.ladder(), pool.capacityType(), pool.spotFallback(),
                pool.criticality(), settings(pool.settings()));
    }

    /** The earliest end of a SCALE, PAUSE or OVERRIDE; null when none has one. */
    public Instant nextExpiry() {
        return Stream.of(scale == null ? null : scale.until(), pause == null ? null : pause.until(),
                        override == null ? null : override.until())
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .orElse(null);
    }

    /** A SCALE or a PAUSE holds: autoscaling decides nothing. */
    boolean autoscalingHeld() {
        return scale != null || pause != null;
    }

    /** The DRAIN actions in force, by node id, sorted. */
    List<OperatorAction> drains() {
        return nodes.values().stream().filter(action -> action.kind() == ActionKind.DRAIN).toList();
    }

    private int[] bounds(PoolConfig pool) {
        Objects.requireNonNull(pool, "pool");
        return override == null ? new int[] {pool.minSize(), pool.maxSize()} : override.bounds(pool);
    }

    private Map<String, OperatorAction> withNode(String nodeId, OperatorAction action) {
        Map<String, OperatorAction> next = new TreeMap<>(nodes);
        if (action == null) {
            next.remove(nodeId);
        } else {
            next.put(nodeId, action);
        }
        return next;
    }

    /**
     * A SCALE: the pool is driven to {@code nodes} once, and autoscaling holds until {@code until}.
     *
     * @param actor the operator whose commands these are ({@code requestedBy})
     */
    public record ScaleHold(String actionId, int nodes, Instant until, String actor) {

        public ScaleHold {
            Objects.requireNonNull(actionId, "actionId");
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(actor, "actor");
            if (nodes < 0) {
                throw new IllegalArgumentException("a manual size is not negative, was " + nodes);
            }
        }
    }

    /**
     * A PAUSE of autoscaling.
     *
     * @param until its end; null: until a RESUME
     */
    public record PauseHold(String actionId, Instant until, String actor) {

        public PauseHold {
            Objects.requireNonNull(actionId, "actionId");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /** An OVERRIDE of the pool's thresholds, sustain windows and bounds until {@code until}. */
    public record OverrideHold(String actionId, ActionOverride override, Instant until, String actor) {

        public OverrideHold {
            Objects.requireNonNull(actionId, "actionId");
            Objects.requireNonNull(override, "override");
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(actor, "actor");
        }

        /** Why {@code override} does not fit {@code pool}; empty when it does. */
        static Optional<String> misfit(ActionOverride override, PoolConfig pool) {
            Optional<String> bounds = boundsMisfit(override, pool);
            if (bounds.isPresent()) {
                return bounds;
            }
            ScalingSettings base = pool.settings();
            double out = value(override.scaleOutUtilization(), base.scaleOutUtilization());
            double in = value(override.scaleInUtilization(), base.scaleInUtilization());
            double target = value(override.targetUtilization(), base.targetUtilization());
            if (!thresholdsFit(out, in, target)) {
                return Optional.of("OVERRIDE thresholds contradict once merged with pool " + pool.key()
                        + ": need scale-in < target < scale-out, was " + Figures.num(in) + " / "
                        + Figures.num(target) + " / " + Figures.num(out) + " %");
            }
            return Optional.empty();
        }

        private static Optional<String> boundsMisfit(ActionOverride override, PoolConfig pool) {
            int min = override.minNodes() == null ? pool.minSize() : override.minNodes();
            int max = override.maxNodes() == null ? pool.maxSize() : override.maxNodes();
            if (max > pool.maxSize()) {
                return Optional.of("OVERRIDE max " + max + " is above the max " + pool.maxSize() + " of pool "
                        + pool.key());
            }
            if (min < 0 || max < 1 || min > max) {
                return Optional.of("OVERRIDE bounds of pool " + pool.key() + " would be " + min + ".." + max
                        + ": min must not exceed max");
            }
            return Optional.empty();
        }

        ScalingSettings applyTo(ScalingSettings base) {
            ScalingSettings settings = base;
            double out = value(override.scaleOutUtilization(), base.scaleOutUtilization());
            double in = value(override.scaleInUtilization(), base.scaleInUtilization());
            double target = value(override.targetUtilization(), base.targetUtilization());
            if (thresholdsFit(out, in, target)) {
                settings = settings.withThresholds(out, in, target);
            }
            if (override.sustainWindows() != null && override.sustainWindows() >= 1) {
                settings = settings.withSustainWindows(override.sustainWindows());
            }
            return settings;
        }

        int[] bounds(PoolConfig pool) {
            return boundsMisfit(override, pool).isPresent() ? new int[] {pool.minSize(), pool.maxSize()}
                    : new int[] {override.minNodes() == null ? pool.minSize() : override.minNodes(),
                            override.maxNodes() == null ? pool.maxSize() : override.maxNodes()};
        }

        private static boolean thresholdsFit(double out, double in, double target) {
            return in >= 0 && out <= 100 && target > 0 && in < target && target < out;
        }

        private static double value(Double override, double base) {
            return override == null ? base : override;
        }
    }
}
