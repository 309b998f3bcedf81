package dev.meridian.scheduler.routing;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.policy.routing.AliasSampler;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One published version made ready for picking: alias tables built once per version (O(n)), so that every route
 * request is O(1) whatever the fleet's size. Immutable, so request threads share it without locks.
 */
public final class RouteTable {

    /** A pick: {@code node} is null when the region is not a home region (no node weights there). */
    public record Route(String region, double regionWeight, String node, Double nodeWeight, long version) {
    }

    /** Why nothing can be picked for a tier. */
    public record NoneEligible(String reason, long version) {
    }

    /** Either a route or the reason there is none. */
    public sealed interface Pick permits Picked, Refused {
    }

    public record Picked(Route route) implements Pick {
    }

    public record Refused(NoneEligible none) implements Pick {
    }

    private record Choices<T>(List<T> items, AliasSampler sampler) {
        static <T> Choices<T> of(List<T> items, double[] weights) {
            return items.isEmpty() ? null : new Choices<>(List.copyOf(items), AliasSampler.of(weights));
        }

        T pick(RandomGenerator random) {
            return items.get(sampler.pick(random));
        }
    }

    private record TierChoices(Choices<RegionWeight> regions, Map<String, Choices<NodeWeight>> nodesByRegion,
            String noneEligibleReason) {
    }

    private final RoutingWeights weights;
    private final Map<Tier, TierChoices> tiers = new EnumMap<>(Tier.class);

    private RouteTable(RoutingWeights weights) {
        this.weights = weights;
        for (TierTable table : weights.tiers()) {
            tiers.put(table.tier(), choices(table));
        }
    }

    public static RouteTable of(RoutingWeights weights) {
        return new RouteTable(weights);
    }

    public RoutingWeights weights() {
        return weights;
    }

    public Pick pick(Tier tier, RandomGenerator random) {
        TierChoices choices = tiers.get(tier);
        if (choices == null) {
            return new Refused(new NoneEligible("version " + weights.version() + " has no " + tier + " table",
                    weights.version()));
        }
        if (choices.regions() == null) {
            String reason = choices.noneEligibleReason() != null ? choices.noneEligibleReason()
                    : "every " + tier + " region has weight 0";
            return new Refused(new NoneEligible(reason, weights.version()));
        }
        RegionWeight region = choices.regions().pick(random);
        Choices<NodeWeight> nodes = choices.nodesByRegion().get(region.region());
        NodeWeight node = nodes == null ? null : nodes.pick(random);
        return new Picked(new Route(region.region(), region.weight(), node == null ? null : node.nodeId(),
                node == null ? null : node.weight(), weights.version()));
    }

    /** Zero weights (damped out or just excluded) are left out of the samplers: they must never be picked. */
    private static TierChoices choices(TierTable table) {
        List<RegionWeight> regions = table.regions().stream().filter(r -> r.weight() > 0).toList();
        Map<String, List<NodeWeight>> nodes = new HashMap<>();
        for (NodeWeight node : table.nodes()) {
            if (node.weight() > 0) {
                nodes.computeIfAbsent(node.region(), r -> new ArrayList<>()).add(node);
            }
        }
        Map<String, Choices<NodeWeight>> nodeChoices = new HashMap<>();
        nodes.forEach((region, list) -> nodeChoices.put(region,
                Choices.of(list, list.stream().mapToDouble(NodeWeight::weight).toArray())));
        return new TierChoices(Choices.of(regions, regions.stream().mapToDouble(RegionWeight::weight).toArray()),
                Map.copyOf(nodeChoices), table.noneEligibleReason());
    }
}
