package dev.meridian.fleetsim.model;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each client region's traffic goes, as a router following the published weights would send it. Every client
 * token passes one node of each tier (an edge node, then a core node), so each tier carries the whole demand.
 *
 * <ol>
 * <li><b>Regions.</b> The client's tier table: each region's weight over the sum of weights. Without a published
 * table for the tier (no scheduler yet, or no region eligible) clients use their own region.</li>
 * <li><b>Nodes of a region.</b> The table's node weights of that region, over the region's SERVING nodes that have
 * one; when none has, by capacity (a balancer that keeps the nodes equally busy).</li>
 * </ol>
 * A share sent to a region without a serving node of the tier is unserved.
 */
public final class TrafficSplit {

    private TrafficSplit() {
    }

    /**
     * @param perNode  tokens per second sent to each SERVING node, by node id
     * @param unserved tokens per second that found no serving node, per tier
     */
    public record Result(Map<String, Double> perNode, Map<Tier, Double> unserved) {

        public double unserved(Tier tier) {
            return unserved.getOrDefault(tier, 0.0);
        }
    }

    /**
     * @param demand  tokens per second per client region
     * @param weights the latest published weights per client region; may lack any client
     * @param serving the nodes that take traffic
     */
    public static Result split(Map<String, Double> demand, Map<String, RoutingWeights> weights,
            Collection<SimNode> serving, CapacityTable capacity) {
        Map<String, Map<Tier, List<SimNode>>> byRegion = new HashMap<>();
        for (SimNode node : serving) {
            byRegion.computeIfAbsent(node.region(), r -> new EnumMap<>(Tier.class))
                    .computeIfAbsent(node.tier(), t -> new ArrayList<>()).add(node);
        }
        Map<String, Double> perNode = new HashMap<>();
        Map<Tier, Double> unserved = new EnumMap<>(Tier.class);
        demand.forEach((client, tokens) -> {
            if (tokens <= 0) {
                return;
            }
            for (Tier tier : Tier.values()) {
                Optional<TierTable> table = Optional.ofNullable(weights.get(client)).flatMap(w -> w.table(tier));
                for (Map.Entry<String, Double> share : regionShares(client, table).entrySet()) {
                    double amount = tokens * share.getValue();
                    List<SimNode> nodes = byRegion.getOrDefault(share.getKey(), Map.of()).getOrDefault(tier, List.of());
                    if (nodes.isEmpty()) {
                        unserved.merge(tier, amount, Double::sum);
                    } else {
                        spread(amount, nodes, table, capacity, perNode);
                    }
                }
            }
        });
        return new Result(perNode, unserved);
    }

    static Map<String, Double> regionShares(String client, Optional<TierTable> table) {
        double sum = table.map(t -> t.regions().stream().mapToDouble(RegionWeight::weight).sum()).orElse(0.0);
        if (!(sum > 0)) {
            return Map.of(client, 1.0);
        }
        Map<String, Double> shares = new HashMap<>();
        for (RegionWeight region : table.get().regions()) {
            if (region.weight() > 0) {
                shares.merge(region.region(), region.weight() / sum, Double::sum);
            }
        }
        return shares;
    }

    private static void spread(double amount, List<SimNode> nodes, Optional<TierTable> table, CapacityTable capacity,
            Map<String, Double> perNode) {
        Map<String, Double> nodeWeights = new HashMap<>();
        table.ifPresent(t -> t.nodes().forEach(w -> nodeWeights.merge(w.nodeId(), w.weight(), Double::sum)));
        double weighted = 0;
        for (SimNode node : nodes) {
            weighted += nodeWeights.getOrDefault(node.nodeId(), 0.0);
        }
        if (weighted > 0) {
            for (SimNode node : nodes) {
                double weight = nodeWeights.getOrDefault(node.nodeId(), 0.0);
                if (weight > 0) {
                    perNode.merge(node.nodeId(), amount * weight / weighted, Double::sum);
                }
            }
            return;
        }
        double total = 0;
        for (SimNode node : nodes) {
            total += capacity.tokensPerSecond(node.instanceType(), node.tier());
        }
        for (SimNode node : nodes) {
            perNode.merge(node.nodeId(), amount * capacity.tokensPerSecond(node.instanceType(), node.tier()) / total,
                    Double::sum);
        }
    }
}
