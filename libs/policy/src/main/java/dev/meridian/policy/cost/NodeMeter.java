package dev.meridian.policy.cost;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the ledger remembers of one node: what it is priced as, where its spend goes, and how far it has been
 * charged. A service may keep these in a store keyed by nodeId.
 *
 * @param tags         the node's {@link CostTags}
 * @param state        last observed state; anything but LEFT costs (STALE included: the node is still paid for)
 * @param stateSince   {@code since} of that observation, to recognise a replayed duplicate
 * @param accruedUntil spend is in the buckets up to here (exclusive); for a LEFT node, when it left
 */
public record NodeMeter(String nodeId, String region, String instanceType, CapacityType capacityType,
        Map<String, String> tags, NodeState state, Instant stateSince, Instant accruedUntil) {

    public NodeMeter {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(instanceType, "instanceType");
        Objects.requireNonNull(capacityType, "capacityType");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stateSince, "stateSince");
        Objects.requireNonNull(accruedUntil, "accruedUntil");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    static NodeMeter of(FleetNode node, Map<String, String> poolTags, Instant accruedUntil) {
        return new NodeMeter(node.nodeId(), node.region(), node.instanceType(), node.capacityType(),
                CostTags.of(node.pool(), node.tier(), node.capacityType(), poolTags), node.state(), node.since(),
                accruedUntil);
    }

    public boolean running() {
        return state != NodeState.LEFT;
    }

    PriceKey priceKey() {
        return new PriceKey(region, instanceType, capacityType);
    }

    boolean pricedAs(NodeMeter other) {
        return region.equals(other.region) && instanceType.equals(other.instanceType)
                && capacityType == other.capacityType && tags.equals(other.tags);
    }

    NodeMeter observed(NodeState newState, Instant since, Instant newAccruedUntil) {
        return new NodeMeter(nodeId, region, instanceType, capacityType, tags, newState, since, newAccruedUntil);
    }
}
