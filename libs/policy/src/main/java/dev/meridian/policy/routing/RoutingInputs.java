package dev.meridian.policy.routing;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.OperatorAction;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one routing computation for one client region looks at, as the scheduler's state stores hold it.
 * Collections may hold several records for one key (e.g. two windows of a pool); the newest wins (latest window end
 * for utilization, latest {@code observedAt} for latency, latest {@code lastSeen} for inventory), so the caller
 * need not deduplicate. Order never matters: the result is the same for any order of the same records.
 *
 * @param clientRegion the region whose clients the weights are for
 * @param homeRegions  the regions this scheduler instance serves; only their nodes get node weights
 * @param residency    which regions may serve which client region
 * @param pools        pool aggregates of every region, local and mirrored
 * @param nodes        node windows of the home regions (others are ignored: node records never cross regions)
 * @param inventory    observed nodes of the home regions ({@code fleet.nodes})
 * @param latencies    latency probes; only those from {@code clientRegion} are used
 * @param draining     ids of nodes under a DRAIN command
 * @param interrupted  ids of nodes with a spot interruption notice
 * @param nodeActions  operators' actions on nodes ({@code meridian.operator.actions.v1}; any other kind of
 *                     action is ignored). Per node (its region and id) the newest by {@code requestedAt} holds:
 *                     CORDON or DRAIN takes the node out of routing, UNCORDON puts it back; see {@link #heldOut()}
 */
public record RoutingInputs(
        String clientRegion,
        Set<String> homeRegions,
        Residency residency,
        List<PoolUtilization> pools,
        List<NodeUtilization> nodes,
        List<FleetNode> inventory,
        List<LatencyProbe> latencies,
        Set<String> draining,
        Set<String> interrupted,
        List<OperatorAction> nodeActions) {

    /** Orders two actions on one node, newer last: the later request; at the same instant the one holding it out. */
    private static final Comparator<OperatorAction> LATEST = Comparator
            .comparing(OperatorAction::requestedAt)
            .thenComparing(RoutingInputs::holdsOut)
            .thenComparing(OperatorAction::actionId);

    public RoutingInputs {
        Objects.requireNonNull(clientRegion, "clientRegion");
        Objects.requireNonNull(residency, "residency");
        homeRegions = Set.copyOf(homeRegions);
        pools = List.copyOf(pools);
        nodes = List.copyOf(nodes);
        inventory = List.copyOf(inventory);
        latencies = List.copyOf(latencies);
        draining = Set.copyOf(draining);
        interrupted = Set.copyOf(interrupted);
        nodeActions = List.copyOf(nodeActions);
    }

    /** Without operators' node actions. */
    public RoutingInputs(String clientRegion, Set<String> homeRegions, Residency residency,
            List<PoolUtilization> pools, List<NodeUtilization> nodes, List<FleetNode> inventory,
            List<LatencyProbe> latencies, Set<String> draining, Set<String> interrupted) {
        this(clientRegion, homeRegions, residency, pools, nodes, inventory, latencies, draining, interrupted,
                List.of());
    }

    /** A node as operators' actions name it: its region and id. */
    public record NodeRef(String region, String nodeId) {
    }

    /**
     * The nodes an operator holds out of routing: for every node, its newest node action when that is a CORDON or a
     * DRAIN. The node's region is part of the key, so an action only ever acts on the node of the region it names.
     * Independent of the order of {@link #nodeActions()}.
     */
    public Map<NodeRef, OperatorAction> heldOut() {
        Map<NodeRef, OperatorAction> newest = new HashMap<>();
        for (OperatorAction action : nodeActions) {
            if (action.kind() != null && action.kind().onNode() && action.nodeId() != null
                    && action.requestedAt() != null && action.actionId() != null) {
                newest.merge(new NodeRef(action.region(), action.nodeId()), action,
                        (a, b) -> LATEST.compare(a, b) >= 0 ? a : b);
            }
        }
        newest.values().removeIf(action -> !holdsOut(action));
        return newest;
    }

    private static boolean holdsOut(OperatorAction action) {
        return action.kind() == ActionKind.CORDON || action.kind() == ActionKind.DRAIN;
    }
}
