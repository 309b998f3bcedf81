package dev.meridian.policy.routing;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.policy.window.PoolWindowAggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The undamped, two-level weights for one client region {@code c}, one table per tier.
 *
 * <p><b>Region level</b>, from pool aggregates of every region (local and mirrored alike): for a region {@code r}
 * and a tier, {@code x(r) = Σ over r's fresh pools of that tier: eligibleCount / (latency(c, r) · (1 + load/100))},
 * the per-node formula times the eligible node count at the pool's average load, where load is
 * {@link PoolUtilization#load()} (GPU average for CORE_GPU, CPU average for EDGE_CPU) and latency is floored at
 * {@link RoutingSettings#latencyFloorMs()}. Weights are {@code x(r) / Σ x}: they sum to 1 per tier table.
 *
 * <p><b>Node level</b>, only for the scheduler's home regions that are eligible in the table: for each eligible node
 * {@code n} of home region {@code h}, {@code y(n) = 1 / (latency(c, h) · (1 + load(n)/100))} from its newest window,
 * normalised so that all node weights of the table sum to 1.
 *
 * <p><b>Exclusions</b>, each recorded with its reason; a region is checked in this order and excluded for the first
 * reason that applies: UNKNOWN_REGION or UNKNOWN_ZONE (also when the <em>client</em> is unknown: then every table is
 * empty), OUTSIDE_RESIDENCY, MISSING_LATENCY (every tier), STALE (per tier: its newest pool aggregate of the tier
 * ended at least the staleness timeout before {@code now}; a region the previous version excluded as STALE for the
 * tier stays out until its newest aggregate ended within half the timeout), SATURATED (per tier: its fresh pools
 * have no eligible node). A stale pool of an otherwise fresh region simply stops counting. A node is checked in the order LEFT,
 * INTERRUPTED, DRAINING (a scale command's DRAIN), then an operator's hold ({@link RoutingInputs#heldOut()}: CORDONED
 * for a CORDON, DRAINING for an operator's DRAIN; the node keeps running, it only gets no traffic), STALE (inventory
 * says so, it has no window, or its newest window is too old), SATURATED (load at or above the threshold). A tier
 * with no eligible region gets an empty table whose {@code noneEligibleReason} lists why: there is no fallback to
 * other regions.
 *
 * <p>Pure and deterministic: no clock is read, and the result does not depend on the order of the input records.
 */
public final class WeightsCalculator {

    private static final Comparator<Exclusion> EXCLUSION_ORDER = Comparator
            .comparing(Exclusion::scope)
            .thenComparing(Exclusion::target)
            .thenComparing(Exclusion::tier, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Exclusion::reason);

    private final RoutingSettings settings;

    public WeightsCalculator(RoutingSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public RoutingSettings settings() {
        return settings;
    }

    public RoutingTargets compute(RoutingInputs inputs, Instant now) {
        return compute(inputs, now, null);
    }

    /**
     * @param previous the version last published for this client region, or null: a region it excluded as STALE for a
     *                 tier must bring an aggregate with at least half the staleness timeout to live before it serves
     *                 that tier again. A link that comes back replays its backlog oldest first; without the margin
     *                 the first old aggregate would bring the region back only to lose it again when that aggregate
     *                 times out, a moment before the newer ones arrive.
     */
    public RoutingTargets compute(RoutingInputs inputs, Instant now, RoutingWeights previous) {
        Objects.requireNonNull(now, "now");
        String client = inputs.clientRegion();
        Optional<Residency.Refusal> clientRefusal = inputs.residency().refuseClient(client);
        if (clientRefusal.isPresent()) {
            Residency.Refusal refusal = clientRefusal.get();
            List<TierTable> tables = new ArrayList<>();
            for (Tier tier : Tier.values()) {
                tables.add(new TierTable(tier, List.of(), List.of(), clip(refusal.detail())));
            }
            Exclusion exclusion = new Exclusion(ExclusionScope.REGION, client, null, refusal.reason(),
                    clip(refusal.detail()));
            return new RoutingTargets(client, tables, List.of(exclusion), null);
        }

        Computation computation = new Computation(inputs, now, staleIn(previous));
        return computation.run();
    }

    private record RegionTier(String region, Tier tier) {
    }

    private static Set<RegionTier> staleIn(RoutingWeights previous) {
        if (previous == null) {
            return Set.of();
        }
        Set<RegionTier> stale = new HashSet<>();
        for (Exclusion exclusion : previous.excluded()) {
            if (exclusion.scope() == ExclusionScope.REGION && exclusion.reason() == ExclusionReason.STALE
                    && exclusion.tier() != null) {
                stale.add(new RegionTier(exclusion.target(), exclusion.tier()));
            }
        }
        return stale;
    }

    /** One run's working state, so the helpers share it without long parameter lists. */
    private final class Computation {

        private final RoutingInputs inputs;
        private final Instant now;
        private final String client;
        private final List<Exclusion> exclusions = new ArrayList<>();
        private final Map<Tier, List<RegionWeight>> regionTargets = new EnumMap<>(Tier.class);
        private final Map<RoutingInputs.NodeRef, OperatorAction> heldOut;
        private final Set<RegionTier> staleBefore;
        private Instant expiresAt;

        Computation(RoutingInputs inputs, Instant now, Set<RegionTier> staleBefore) {
            this.inputs = inputs;
            this.now = now;
            this.staleBefore = staleBefore;
            this.client = inputs.clientRegion();
            this.heldOut = inputs.heldOut();
            for (Tier tier : Tier.values()) {
                regionTargets.put(tier, new ArrayList<>());
            }
        }

        RoutingTargets run() {
            Map<String, LatencyProbe> latency = newest(
                    inputs.latencies().stream().filter(p -> client.equals(p.fromRegion())).toList(),
                    LatencyProbe::toRegion, Comparator.comparing(LatencyProbe::observedAt));
            Map<String, List<PoolUtilization>> poolsByRegion = newest(inputs.pools(), PoolUtilization::key,
                    Comparator.comparing(PoolUtilization::windowEnd)).values().stream()
                    .collect(Collectors.groupingBy(PoolUtilization::region, TreeMap::new, Collectors.toList()));

            for (Map.Entry<String, List<PoolUtilization>> entry : poolsByRegion.entrySet()) {
                region(entry.getKey(), entry.getValue(), latency.get(entry.getKey()));
            }

            Map<String, NodeUtilization> nodeWindows = newest(
                    inputs.nodes().stream().filter(n -> inputs.homeRegions().contains(n.region())).toList(),
                    NodeUtilization::nodeId, Comparator.comparing(NodeUtilization::windowEnd));
            Map<String, FleetNode> inventory = newest(
                    inputs.inventory().stream().filter(n -> inputs.homeRegions().contains(n.region())).toList(),
                    FleetNode::nodeId, Comparator.comparing(FleetNode::lastSeen).thenComparing(FleetNode::since));

            List<TierTable> tables = new ArrayList<>();
            for (Tier tier : Tier.values()) {
                List<RegionWeight> regions = normaliseRegions(regionTargets.get(tier));
                List<NodeWeight> nodes = new ArrayList<>();
                for (RegionWeight region : regions) {
                    if (inputs.homeRegions().contains(region.region())) {
                        nodes.addAll(nodes(tier, region, nodeWindows, inventory));
                    }
                }
                String noneEligible = regions.isEmpty() ? noneEligibleReason(tier, poolsByRegion.keySet()) : null;
                tables.add(new TierTable(tier, regions, normaliseNodes(nodes), noneEligible));
            }
            exclusions.sort(EXCLUSION_ORDER);
            return new RoutingTargets(client, tables, exclusions, expiresAt);
        }

        private void region(String region, List<PoolUtilization> pools, LatencyProbe probe) {
            Optional<Residency.Refusal> refusal = inputs.residency().refuseServing(client, region);
            if (refusal.isPresent()) {
                exclude(ExclusionScope.REGION, region, null, refusal.get().reason(), refusal.get().detail());
                return;
            }
            if (probe == null || !Double.isFinite(probe.rttMs()) || probe.rttMs() < 0) {
                exclude(ExclusionScope.REGION, region, null, ExclusionReason.MISSING_LATENCY, probe == null
                        ? "no latency probe from " + client + " to " + region
                        : "latency probe from " + client + " to " + region + " is invalid: " + probe.rttMs());
                return;
            }
            double latencyMs = Math.max(settings.latencyFloorMs(), probe.rttMs());
            for (Tier tier : Tier.values()) {
                List<PoolUtilization> tierPools = pools.stream().filter(p -> p.tier() == tier)
                        .sorted(Comparator.comparing(PoolUtilization::pool)).toList();
                if (!tierPools.isEmpty()) {
                    regionTier(region, tier, tierPools, latencyMs);
                }
            }
        }

        private void regionTier(String region, Tier tier, List<PoolUtilization> pools, double latencyMs) {
            List<PoolUtilization> fresh = pools.stream().filter(p -> isFresh(p.windowEnd())).toList();
            if (fresh.isEmpty()) {
                Instant newest = pools.stream().map(PoolUtilization::windowEnd).max(Comparator.naturalOrder())
                        .orElseThrow();
                exclude(ExclusionScope.REGION, region, tier, ExclusionReason.STALE, "newest " + tier
                        + " pool aggregate ended at " + newest + ", staleness timeout " + settings.stalenessTimeout());
                return;
            }
            Instant newestFresh = fresh.stream().map(PoolUtilization::windowEnd).max(Comparator.naturalOrder())
                    .orElseThrow();
            Instant readmitAfter = now.minus(settings.stalenessTimeout().dividedBy(2));
            if (staleBefore.contains(new RegionTier(region, tier)) && !newestFresh.isAfter(readmitAfter)) {
                exclude(ExclusionScope.REGION, region, tier, ExclusionReason.STALE, "returning: newest " + tier
                        + " pool aggregate ended at " + newestFresh + ", needs to end within half the staleness timeout "
                        + settings.stalenessTimeout());
                return;
            }
            fresh.forEach(p -> expiresAt(p.windowEnd()));
            int eligible = 0;
            int saturated = 0;
            int total = 0;
            double weight = 0;
            double loadSum = 0;
            for (PoolUtilization pool : fresh) {
                eligible += pool.eligibleCount();
                saturated += pool.saturatedCount();
                total += pool.nodeCount();
                weight += pool.eligibleCount() / (latencyMs * (1 + pool.load() / 100));
                loadSum += pool.eligibleCount() * pool.load();
            }
            if (eligible == 0) {
                exclude(ExclusionScope.REGION, region, tier,
                        saturated > 0 ? ExclusionReason.SATURATED : ExclusionReason.STALE,
                        "0 of " + total + " " + tier + " nodes eligible (" + saturated + " saturated)");
                return;
            }
            double load = Math.min(100, Math.max(0, loadSum / eligible));
            regionTargets.get(tier).add(new RegionWeight(region, weight, eligible, load, latencyMs));
        }

        private List<NodeWeight> nodes(Tier tier, RegionWeight home, Map<String, NodeUtilization> windows,
                Map<String, FleetNode> inventory) {
            String region = home.region();
            SortedSet<String> ids = new TreeSet<>();
            windows.values().stream().filter(n -> region.equals(n.region()) && n.tier() == tier)
                    .forEach(n -> ids.add(n.nodeId()));
            inventory.values().stream().filter(n -> region.equals(n.region()) && n.tier() == tier)
                    .forEach(n -> ids.add(n.nodeId()));
            List<NodeWeight> weights = new ArrayList<>();
            for (String id : ids) {
                NodeUtilization window = windows.get(id);
                FleetNode node = inventory.get(id);
                if (window != null && window.tier() != tier) {
                    window = null;
                }
                if (isEligible(tier, region, id, window, node)) {
                    double load = PoolWindowAggregate.loadOf(tier, window.gpuAvg(), window.cpuAvg());
                    weights.add(new NodeWeight(id, region, window.pool(), 1 / (home.latencyMs() * (1 + load / 100)),
                            load));
                }
            }
            return weights;
        }

        /** Records the node's exclusion, if any. */
        private boolean isEligible(Tier tier, String region, String id, NodeUtilization window, FleetNode node) {
            ExclusionReason reason = null;
            String detail = null;
            OperatorAction hold = heldOut.get(new RoutingInputs.NodeRef(region, id));
            if (node != null && node.state() == NodeState.LEFT) {
                reason = ExclusionReason.LEFT;
                detail = "left the fleet at " + node.since();
            } else if (inputs.interrupted().contains(id)) {
                reason = ExclusionReason.INTERRUPTED;
                detail = "spot interruption notice";
            } else if (inputs.draining().contains(id)) {
                reason = ExclusionReason.DRAINING;
                detail = "drain command";
            } else if (hold != null) {
                reason = hold.kind() == ActionKind.DRAIN ? ExclusionReason.DRAINING : ExclusionReason.CORDONED;
                detail = "operator " + hold.kind() + " " + hold.actionId() + " requested at " + hold.requestedAt();
            } else if (node != null && node.state() == NodeState.STALE) {
                reason = ExclusionReason.STALE;
                detail = "inventory marks it STALE since " + node.since();
            } else if (window == null) {
                reason = ExclusionReason.STALE;
                detail = "no " + tier + " utilization window";
            } else if (!isFresh(window.windowEnd())) {
                reason = ExclusionReason.STALE;
                detail = "newest window ended at " + window.windowEnd() + ", staleness timeout "
                        + settings.stalenessTimeout();
            } else {
                double load = PoolWindowAggregate.loadOf(tier, window.gpuAvg(), window.cpuAvg());
                if (load >= settings.saturationThreshold()) {
                    reason = ExclusionReason.SATURATED;
                    detail = "load " + Checks.format(load) + " % at or above " + Checks.format(
                            settings.saturationThreshold()) + " %";
                } else {
                    expiresAt(window.windowEnd());
                }
            }
            if (reason == null) {
                return true;
            }
            exclude(ExclusionScope.NODE, id, tier, reason, detail);
            return false;
        }

        private String noneEligibleReason(Tier tier, Collection<String> regionsWithPools) {
            List<String> reasons = exclusions.stream()
                    .filter(e -> e.scope() == ExclusionScope.REGION && (e.tier() == null || e.tier() == tier))
                    .sorted(EXCLUSION_ORDER)
                    .map(e -> e.target() + " " + e.reason())
                    .toList();
            if (reasons.isEmpty()) {
                return clip("no " + tier + " pool reports from the regions that may serve " + client + " "
                        + inputs.residency().servingRegions(client) + " (" + regionsWithPools.size()
                        + " regions report pools)");
            }
            return clip("no region eligible for " + tier + ": " + String.join(", ", reasons));
        }

        private boolean isFresh(Instant windowEnd) {
            return now.isBefore(windowEnd.plus(settings.stalenessTimeout()));
        }

        private void expiresAt(Instant windowEnd) {
            Instant expiry = windowEnd.plus(settings.stalenessTimeout());
            if (expiresAt == null || expiry.isBefore(expiresAt)) {
                expiresAt = expiry;
            }
        }

        private void exclude(ExclusionScope scope, String target, Tier tier, ExclusionReason reason, String detail) {
            exclusions.add(new Exclusion(scope, target, tier, reason, clip(detail)));
        }
    }

    private static List<RegionWeight> normaliseRegions(List<RegionWeight> regions) {
        double sum = regions.stream().mapToDouble(RegionWeight::weight).sum();
        return regions.stream()
                .map(r -> new RegionWeight(r.region(), r.weight() / sum, r.eligibleNodes(), r.load(), r.latencyMs()))
                .sorted(Comparator.comparing(RegionWeight::region))
                .toList();
    }

    private static List<NodeWeight> normaliseNodes(List<NodeWeight> nodes) {
        double sum = nodes.stream().mapToDouble(NodeWeight::weight).sum();
        return nodes.stream()
                .map(n -> new NodeWeight(n.nodeId(), n.region(), n.pool(), n.weight() / sum, n.load()))
                .sorted(Comparator.comparing(NodeWeight::nodeId))
                .toList();
    }

    /**
     * The newest record per key. Ties on the ordering fall back to the records' text, so that two records with the
     * same timestamp resolve the same way whatever order they arrive in.
     */
    private static <T, K extends Comparable<K>> Map<K, T> newest(List<T> records, Function<T, K> key,
            Comparator<T> order) {
        Comparator<T> total = order.thenComparing(Object::toString);
        Map<K, T> newest = new TreeMap<>();
        for (T record : records) {
            newest.merge(key.apply(record), record, (a, b) -> total.compare(a, b) >= 0 ? a : b);
        }
        return newest;
    }

    static String clip(String text) {
        return text.length() <= Checks.MAX_TEXT_LENGTH ? text : text.substring(0, Checks.MAX_TEXT_LENGTH - 3) + "...";
    }
}
