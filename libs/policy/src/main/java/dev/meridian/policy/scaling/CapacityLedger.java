package dev.meridian.policy.scaling;

import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import dev.meridian.policy.scaling.PoolScalingState.PendingRequest;
import dev.meridian.policy.scaling.PoolScalingState.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One decision's working copy of where the pool's capacity stands: the nodes present, the capacity requested and not
 * yet arrived, the nodes draining and which nodes are warm. Every decision counts against this one copy, so a node
 * drained or requested by an earlier step is already seen by the later ones.
 */
final class CapacityLedger {

    private final PoolConfig pool;
    private final Instant now;
    /** JOINED or STALE nodes by id, sorted, so every iteration order is deterministic. */
    private final Map<String, PoolNode> present = new TreeMap<>();
    private final Set<String> known;
    private final List<PendingRequest> pending;
    private final List<DrainingNode> draining;
    private final Set<String> activatedWarm;
    private final Set<String> warmNodes;

    /** @param pool the pool as this decision judges it (an operator's override applied) */
    CapacityLedger(PoolScalingState state, PoolSnapshot input, PoolConfig pool, Instant now) {
        this.pool = pool;
        this.now = now;
        input.nodes().stream().filter(PoolNode::present).forEach(node -> present.put(node.nodeId(), node));
        known = new HashSet<>(state.knownNodes());
        pending = new ArrayList<>(state.pending());
        draining = new ArrayList<>(state.draining());
        activatedWarm = new TreeSet<>(state.activatedWarm());
        warmNodes = new TreeSet<>(state.warmNodes());
    }

    void countArrivals() {
        for (PoolNode node : present.values()) {
            if (node.ready() && !known.contains(node.nodeId())) {
                Purpose fulfilled = fulfil(node.warm() ? Purpose.WARM : Purpose.SERVE);
                // The inventory may not mark warm nodes: remember the ones that came for the warm pool.
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

    /** Only once a request is given up may the same capacity be asked for again. */
    void dropExpiredRequests() {
        pending.removeIf(request -> !request.deadline().isAfter(now));
    }

    void request(String commandId, Purpose purpose, int nodes) {
        pending.add(new PendingRequest(commandId, purpose, nodes, now,
                now.plus(pool.settings().provisioningTimeout())));
    }

    void drain(DrainingNode entry) {
        draining.add(entry);
    }

    /** Entries stay until their node leaves the inventory, so a node handed to SCALE_IN is never counted again. */
    void forgetDrainsOfDepartedNodes() {
        draining.removeIf(entry -> !present.containsKey(entry.nodeId()));
    }

    /** Draining entries whose SCALE_IN is due and not yet issued, in drain order. */
    List<DrainingNode> dueDrains() {
        return draining.stream().filter(entry -> !entry.scaleInIssued() && !entry.deadline().isAfter(now)).toList();
    }

    void markScaleInIssued(String origin, List<String> nodeIds) {
        for (int i = 0; i < draining.size(); i++) {
            DrainingNode entry = draining.get(i);
            if (nodeIds.contains(entry.nodeId()) && entry.origin().equals(origin)) {
                draining.set(i, new DrainingNode(entry.nodeId(), entry.origin(), entry.drainCommandId(),
                        entry.deadline(), true, entry.requestedBy()));
            }
        }
    }

    void activate(List<String> warmNodeIds) {
        activatedWarm.addAll(warmNodeIds);
        warmNodes.removeAll(warmNodeIds);
    }

    /** Once the inventory no longer marks an activated node warm, the inventory is the truth again. */
    void settleWarmMarks() {
        activatedWarm.removeIf(id -> !(present.containsKey(id) && present.get(id).warm()));
        warmNodes.retainAll(present.keySet());
    }

    PoolNode presentNode(String nodeId) {
        return present.get(nodeId);
    }

    boolean isDraining(String nodeId) {
        return draining.stream().anyMatch(entry -> entry.nodeId().equals(nodeId));
    }

    boolean isWarm(PoolNode node) {
        return (node.warm() || warmNodes.contains(node.nodeId())) && !activatedWarm.contains(node.nodeId());
    }

    List<PoolNode> servingReady() {
        return present.values().stream()
                .filter(node -> node.ready() && !isWarm(node) && !isDraining(node.nodeId()))
                .toList();
    }

    List<PoolNode> warmReady() {
        return present.values().stream()
                .filter(node -> node.ready() && isWarm(node) && !isDraining(node.nodeId()))
                .toList();
    }

    /** READY warm nodes, draining ones included: a draining warm node still reports into the pool window. */
    int warmReportingCount() {
        return (int) present.values().stream().filter(node -> node.ready() && isWarm(node)).count();
    }

    int pendingServing() {
        return pending.stream().filter(p -> p.purpose() == Purpose.SERVE).mapToInt(PendingRequest::remaining).sum();
    }

    int pendingWarm() {
        return pending.stream().filter(p -> p.purpose() == Purpose.WARM).mapToInt(PendingRequest::remaining).sum();
    }

    int servingCapacity() {
        return servingReady().size() + pendingServing();
    }

    int warmCapacity() {
        return warmReady().size() + pendingWarm();
    }

    /**
     * The type the pool runs: the most common among serving READY nodes, the lower rung on a tie (a half-done resize
     * is not yet done); the bottom rung for an empty pool.
     */
    String poolType() {
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

    List<PendingRequest> pending() {
        return List.copyOf(pending);
    }

    List<DrainingNode> draining() {
        return List.copyOf(draining);
    }

    List<String> presentNodeIds() {
        return List.copyOf(present.keySet());
    }

    List<String> activatedWarm() {
        return List.copyOf(activatedWarm);
    }

    List<String> warmNodes() {
        return List.copyOf(warmNodes);
    }
}
