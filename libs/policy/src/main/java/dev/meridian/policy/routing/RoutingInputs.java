package dev.meridian.policy.routing;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import java.util.List;
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
        Set<String> interrupted) {

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
    }
}
