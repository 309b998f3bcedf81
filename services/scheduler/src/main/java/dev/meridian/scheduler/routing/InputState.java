package dev.meridian.scheduler.routing;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.routing.RoutingInputs;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The newest input records routing decides on, one per key. Owned by the consumer thread, so not thread-safe.
 *
 * <p>Only the newest record per key is kept (the policy would pick it anyway): memory stays bounded by the fleet's
 * size however long the service runs. Node-level records of other regions are dropped at the door: the policy would
 * ignore them, and a region's nodes are not this instance's to weigh.
 *
 * <p>Operators' node actions are kept as their compacted topic holds them: one per topic and key, the last
 * written, until a tombstone; the policy takes each node's newest across all of them
 * ({@link RoutingInputs#heldOut()}: a node that moved pools has a slot under each). They are not forgotten with the
 * node (unlike drains): the topic keeps them, so a restart would read them back anyway, and a node that comes back
 * under its id is still cordoned.
 */
public final class InputState {

    private final Set<String> homeRegions;
    private final Duration commandMemory;
    private final Map<String, PoolUtilization> pools = new HashMap<>();
    private final Map<String, NodeUtilization> nodes = new HashMap<>();
    private final Map<String, FleetNode> inventory = new HashMap<>();
    private final Map<String, LatencyProbe> latencies = new HashMap<>();
    /** nodeId → when the DRAIN was issued. */
    private final Map<String, Instant> draining = new HashMap<>();
    /** nodeId → the provider's deadline. */
    private final Map<String, Instant> interrupted = new HashMap<>();
    /** topic and key → the last node action (CORDON, DRAIN, UNCORDON) of a home region written under that key. */
    private final Map<ActionSlot, OperatorAction> nodeActions = new HashMap<>();

    /** Where a node action is held: each copy of the topic (a mirror, were it mirrored) is a state of its own. */
    private record ActionSlot(String topic, String key) {
    }

    /**
     * @param commandMemory how long a DRAIN or an interruption past its deadline is remembered; by then the node has
     *                      been scaled in or taken back, and left the inventory
     */
    public InputState(Set<String> homeRegions, Duration commandMemory) {
        this.homeRegions = Set.copyOf(homeRegions);
        this.commandMemory = commandMemory;
    }

    /** Applies one record of the local topic of {@code kind}; see {@link #apply(InputKind, String, String, Object)}. */
    public boolean apply(InputKind kind, String key, Object value) {
        return apply(kind, kind.topic(), key, value);
    }

    /**
     * Applies one record of {@code topic} (the local topic of {@code kind} or a mirror of it); {@code value} null is a
     * tombstone.
     *
     * @return whether the view changed, i.e. whether deciding again could publish something new
     */
    public boolean apply(InputKind kind, String topic, String key, Object value) {
        return switch (kind) {
            case POOL -> value instanceof PoolUtilization p && newer(pools, p.key(), p,
                    (a, b) -> b.windowEnd().isAfter(a.windowEnd()));
            case NODE -> value instanceof NodeUtilization n && homeRegions.contains(n.region())
                    && newer(nodes, n.nodeId(), n, (a, b) -> b.windowEnd().isAfter(a.windowEnd()));
            case INVENTORY -> inventory(key, value);
            case LATENCY -> value instanceof LatencyProbe l && newer(latencies, l.key(), l,
                    (a, b) -> b.observedAt().isAfter(a.observedAt()));
            case INTERRUPTION -> value instanceof Interruption i && homeRegions.contains(i.region())
                    && !i.deadline().equals(interrupted.put(i.nodeId(), i.deadline()));
            case COMMAND -> value instanceof ScaleCommand c && drain(c);
            case OPERATOR -> nodeAction(new ActionSlot(topic, key), value);
        };
    }

    /** Forgets drains and interruptions older than the command memory; true if any was forgotten. */
    public boolean expire(Instant now) {
        Instant cutoff = now.minus(commandMemory);
        boolean drained = draining.values().removeIf(issuedAt -> issuedAt.isBefore(cutoff));
        boolean taken = interrupted.values().removeIf(deadline -> deadline.isBefore(cutoff));
        return drained || taken;
    }

    public RoutingInputs inputsFor(String clientRegion, Residency residency) {
        return new RoutingInputs(clientRegion, homeRegions, residency, List.copyOf(pools.values()),
                List.copyOf(nodes.values()), List.copyOf(inventory.values()), List.copyOf(latencies.values()),
                draining.keySet(), interrupted.keySet(), List.copyOf(nodeActions.values()));
    }

    public Set<String> homeRegions() {
        return homeRegions;
    }

    private boolean inventory(String key, Object value) {
        if (value == null) {
            // A compacted-away node: nothing left to weigh.
            return key != null && inventory.remove(key) != null;
        }
        if (!(value instanceof FleetNode node) || !homeRegions.contains(node.region())) {
            return false;
        }
        if (node.state() == NodeState.LEFT) {
            // Gone for good: forgetting it keeps this state (and every published version) bounded by the live fleet.
            boolean known = inventory.remove(node.nodeId()) != null;
            known |= nodes.remove(node.nodeId()) != null;
            draining.remove(node.nodeId());
            interrupted.remove(node.nodeId());
            return known;
        }
        return !node.equals(inventory.put(node.nodeId(), node));
    }

    private boolean drain(ScaleCommand command) {
        // A deferred command did nothing; only an issued DRAIN takes nodes out of routing.
        if (command.action() != ScaleAction.DRAIN || !homeRegions.contains(command.region())) {
            return false;
        }
        boolean changed = false;
        for (String node : command.nodes()) {
            changed |= draining.putIfAbsent(node, command.issuedAt()) == null;
        }
        return changed;
    }

    /**
     * A node action of a home region replaces what its slot held, as in the compacted topic: the record written last
     * is the one compaction keeps, so a restart sees the same (a replay changes nothing). A tombstone empties the
     * slot. Pool actions (SCALE, PAUSE, OVERRIDE, ...) are the scaler's, not routing's.
     */
    private boolean nodeAction(ActionSlot slot, Object value) {
        if (value == null) {
            return nodeActions.remove(slot) != null;
        }
        if (!(value instanceof OperatorAction action) || !action.kind().onNode()
                || !homeRegions.contains(action.region())) {
            return false;
        }
        return !action.equals(nodeActions.put(slot, action));
    }

    private interface Newer<T> {
        boolean test(T current, T candidate);
    }

    /** Keeps {@code candidate} unless the held record is newer; replaying an old record changes nothing. */
    private static <T> boolean newer(Map<String, T> map, String key, T candidate, Newer<T> isNewer) {
        T current = map.get(key);
        if (current == null || isNewer.test(current, candidate)
                || (!current.equals(candidate) && !isNewer.test(candidate, current))) {
            map.put(key, candidate);
            return !candidate.equals(current);
        }
        return false;
    }
}
