package dev.meridian.policy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Routing inputs: the seed fleet's five regions in three zones, and records with only the fields that matter set. */
final class RoutingFixtures {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    /** A window that closed 2 s ago: fresh under the 30 s staleness timeout. */
    static final Instant RECENT = NOW.minusSeconds(2);

    static final Residency SEED_RESIDENCY = new Residency(
            Map.of("us-east", "US", "us-west", "US", "eu-west", "EU", "eu-central", "EU", "ap-southeast", "APAC"),
            Set.of("US", "EU", "APAC"),
            Map.of());

    private RoutingFixtures() {
    }

    static PoolUtilization gpuPool(String region, String pool, int eligible, double gpuLoad) {
        return gpuPool(region, pool, eligible, gpuLoad, RECENT);
    }

    static PoolUtilization gpuPool(String region, String pool, int eligible, double gpuLoad, Instant windowEnd) {
        return pool(region, pool, Tier.CORE_GPU, eligible, 0, gpuLoad, 10, windowEnd);
    }

    static PoolUtilization pool(String region, String pool, Tier tier, int eligible, int saturated, double gpuAvg,
            double cpuAvg, Instant windowEnd) {
        return new PoolUtilization(region, pool, tier, windowEnd.minusSeconds(10), windowEnd, eligible + saturated,
                eligible, saturated, 0, gpuAvg, Math.min(100, gpuAvg + 5), cpuAvg, 50, null, null);
    }

    static NodeUtilization gpuNode(String id, String region, double gpuLoad) {
        return gpuNode(id, region, gpuLoad, RECENT);
    }

    static NodeUtilization gpuNode(String id, String region, double gpuLoad, Instant windowEnd) {
        return node(id, region, Tier.CORE_GPU, gpuLoad, 10, windowEnd);
    }

    static NodeUtilization node(String id, String region, Tier tier, double gpuAvg, double cpuAvg, Instant windowEnd) {
        return new NodeUtilization(id, region, region + "-1a", tier == Tier.CORE_GPU ? "gpu-core" : "edge", tier,
                "p5.48xlarge", CapacityType.ON_DEMAND, windowEnd.minusSeconds(10), windowEnd, 10, gpuAvg,
                Math.min(100, gpuAvg + 5), 50, cpuAvg, 40, 1e6, 2e6, null, null);
    }

    static FleetNode fleetNode(String id, String region, Tier tier, NodeState state) {
        return new FleetNode(id, region, region + "-1a", tier == Tier.CORE_GPU ? "gpu-core" : "edge", tier,
                "p5.48xlarge", CapacityType.ON_DEMAND, state, NOW.minus(Duration.ofMinutes(5)), RECENT);
    }

    static LatencyProbe latency(String from, String to, double rttMs) {
        return new LatencyProbe(from, to, rttMs, NOW.minusSeconds(30), "test");
    }

    /** An operator's action on a node of the {@code gpu-core} pool, as the operator API would publish it. */
    static OperatorAction nodeAction(String actionId, ActionKind kind, String region, String nodeId,
            Instant requestedAt) {
        return new OperatorAction(actionId, kind, region, "gpu-core", nodeId, null, null, null, "ops-alice",
                "maintenance", requestedAt);
    }

    static Builder inputs(String clientRegion) {
        return new Builder(clientRegion);
    }

    static TierTable gpuTable(RoutingWeights weights) {
        return weights.table(Tier.CORE_GPU).orElseThrow();
    }

    static TierTable gpuTable(RoutingTargets targets) {
        return targets.table(Tier.CORE_GPU).orElseThrow();
    }

    static double regionWeight(TierTable table, String region) {
        return table.regions().stream().filter(r -> r.region().equals(region)).findFirst().orElseThrow().weight();
    }

    static double nodeWeight(TierTable table, String nodeId) {
        return table.nodes().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst().orElseThrow().weight();
    }

    static void assertValid(RoutingWeights weights) {
        assertThat(weights.violations()).isEmpty();
    }

    static void assertValid(RoutingTargets targets) {
        assertValid(new RoutingWeights(targets.clientRegion(), 1, NOW, false, targets.tiers(), targets.excluded()));
    }

    /** Mutable on purpose: each test states only the records it is about. */
    static final class Builder {
        private final String clientRegion;
        private Residency residency = SEED_RESIDENCY;
        private final Set<String> homeRegions = new HashSet<>();
        private final List<PoolUtilization> pools = new ArrayList<>();
        private final List<NodeUtilization> nodes = new ArrayList<>();
        private final List<FleetNode> inventory = new ArrayList<>();
        private final List<LatencyProbe> latencies = new ArrayList<>();
        private final Set<String> draining = new HashSet<>();
        private final Set<String> interrupted = new HashSet<>();
        private final List<OperatorAction> nodeActions = new ArrayList<>();

        private Builder(String clientRegion) {
            this.clientRegion = clientRegion;
        }

        Builder residency(Residency value) {
            residency = value;
            return this;
        }

        Builder home(String... regions) {
            homeRegions.addAll(List.of(regions));
            return this;
        }

        Builder pool(PoolUtilization... values) {
            pools.addAll(List.of(values));
            return this;
        }

        Builder node(NodeUtilization... values) {
            nodes.addAll(List.of(values));
            return this;
        }

        Builder inventory(FleetNode... values) {
            inventory.addAll(List.of(values));
            return this;
        }

        Builder latency(String to, double rttMs) {
            latencies.add(RoutingFixtures.latency(clientRegion, to, rttMs));
            return this;
        }

        Builder latency(LatencyProbe... values) {
            latencies.addAll(List.of(values));
            return this;
        }

        Builder draining(String... ids) {
            draining.addAll(List.of(ids));
            return this;
        }

        Builder interrupted(String... ids) {
            interrupted.addAll(List.of(ids));
            return this;
        }

        Builder nodeActions(OperatorAction... values) {
            nodeActions.addAll(List.of(values));
            return this;
        }

        RoutingInputs build() {
            return new RoutingInputs(clientRegion, homeRegions, residency, pools, nodes, inventory, latencies, draining,
                    interrupted, nodeActions);
        }
    }
}
