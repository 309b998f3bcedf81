package dev.meridian.fleetsim.model;

import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeMetric;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one {@link FleetModel#step} produced.
 *
 * @param samples             one per reporting node, stamped {@code at}
 * @param notices             spot interruption notices given in this step
 * @param utilization         load (percent) per reporting node
 * @param overloadNodeSeconds node-seconds at or above {@link FleetModel#OVERLOADED_AT} in this step
 * @param droppedTokens       tokens that found no serving node or overflowed a full backlog, per tier
 */
public record Step(Instant at, List<NodeMetric> samples, List<Interruption> notices, Map<String, Double> utilization,
        double overloadNodeSeconds, Map<Tier, Double> droppedTokens) {

    public Step {
        samples = List.copyOf(samples);
        notices = List.copyOf(notices);
        utilization = Map.copyOf(utilization);
        droppedTokens = Map.copyOf(droppedTokens);
    }

    public double dropped(Tier tier) {
        return droppedTokens.getOrDefault(tier, 0.0);
    }
}
