package dev.meridian.scheduler.api;

import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.scheduler.routing.RouteTable;
import dev.meridian.service.security.Caller;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What of a client region's weights a caller may see. Region weights stay whole: routing may cross regions where
 * residency allows, and a region's share says nothing about its nodes. Node ids and the nodes' own exclusions are
 * shown only for regions of the caller's token; a route into another region names the region, not the node.
 */
final class VisibleWeights {

    private VisibleWeights() {
    }

    static RoutingWeights of(RoutingWeights weights, Caller caller) {
        if (caller.allRegions()) {
            return weights;
        }
        List<TierTable> tiers = weights.tiers().stream().map(table -> new TierTable(table.tier(), table.regions(),
                table.nodes().stream().filter(node -> caller.maySee(node.region())).toList(),
                table.noneEligibleReason())).toList();
        // A node exclusion names its node only; it is shown when that node's region is visible, which is known from
        // the node weights (or, for a node no longer weighted, not at all).
        Set<String> visibleNodes = weights.tiers().stream().flatMap(table -> table.nodes().stream())
                .filter(node -> caller.maySee(node.region())).map(NodeWeight::nodeId).collect(Collectors.toSet());
        List<Exclusion> excluded = weights.excluded().stream()
                .filter(e -> e.scope() != ExclusionScope.NODE || visibleNodes.contains(e.target())).toList();
        return new RoutingWeights(weights.clientRegion(), weights.version(), weights.computedAt(),
                weights.heartbeat(), tiers, excluded);
    }

    static RouteTable.Route of(RouteTable.Route route, Caller caller) {
        if (route.node() == null || caller.maySee(route.region())) {
            return route;
        }
        return new RouteTable.Route(route.region(), route.regionWeight(), null, null, route.version());
    }
}
