package dev.meridian.policy.routing;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.validation.Validated;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides, for one client region, whether to publish a new {@link RoutingWeights} version: the targets of
 * {@link WeightsCalculator}, damped against the last published version.
 *
 * <h2>Publishing rules</h2>
 * <ol>
 * <li><b>Eligibility changes publish at once, bypassing damping.</b> When an exclusion appears or disappears, or the
 * set of eligible regions or nodes of a table changes, a version is published immediately. Regions and nodes that
 * dropped out are gone (weight 0), newcomers start at their target weight, and the survivors keep their published
 * proportions scaled into the remaining share.</li>
 * <li><b>Otherwise damped.</b> A damped version is published only when some target differs from the published
 * weight by more than {@code epsilon} (node weights: {@code nodeEpsilon}, in multiples of {@code 1/n}), and at most
 * once per {@code interval} since the last version. The version moves the whole table along the straight line
 * toward its target, {@code w = p + λ (t − p)} with {@code λ = min(1, maxStep / max|t − p|)}: no weight moves more
 * than {@code maxStep}, the weights still sum to 1, and their ranking never overshoots the target.</li>
 * <li><b>Heartbeat.</b> When nothing was published for {@code heartbeat}, the last version is republished as is with
 * {@code heartbeat = true} and a new {@code computedAt}. As {@link RoutingWeights} defines, a heartbeat repeats the
 * current version number: the weights did not change, so consumers need not rebuild and audit skips it.</li>
 * </ol>
 *
 * <h2>Anti-flap</h2>
 * The rule: <em>the published weights are sticky within ε</em>. A damped version compares targets with the last
 * <em>published</em> weights, never with the previous computation, and when it publishes it moves to the target
 * (within {@code maxStep}), not to the edge of the band. So while every target of a table stays inside some interval
 * of width ε that contains the published weights, nothing but heartbeats is published: a hysteresis band around the
 * published value rather than a threshold on the raw signal, so a signal crossing back and forth cannot toggle it.
 *
 * <p>What that gives for two regions whose loads oscillate around each other: with fixed latencies and eligible
 * counts, the weight of region A is {@code σ(ln(nA/lA) − ln(nB/lB) − ln(1 + a/100) + ln(1 + b/100))} with σ the
 * logistic function, whose slope is at most 1/4. If both loads stay within a band of {@code w} points,
 * each {@code ln(1 + load/100)} varies by at most {@code w/100}, so the weight varies by at most
 * {@code ¼ · 2w/100 = w/200}. With the default ε = 0.05, <b>two regions whose loads stay within any 10-point band
 * (e.g. both at 50 % ± 5, crossing each other at any frequency) produce no version but the heartbeat: at most one
 * version per heartbeat interval</b>, once a version computed inside the band has been published. Larger swings are
 * real load differences: they are followed, but at most one damped version per {@code interval}.
 *
 * <p>Pure and deterministic: time is the {@code now} passed in, and the same inputs, previous version and
 * {@code now} always give the same decision.
 */
public final class RoutingPolicy {

    private final RoutingSettings settings;
    private final WeightsCalculator calculator;

    public RoutingPolicy(RoutingSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.calculator = new WeightsCalculator(settings);
    }

    public RoutingSettings settings() {
        return settings;
    }

    /**
     * @param previous the last version published for this client region (a heartbeat included), or null if none
     */
    public Decision decide(RoutingInputs inputs, RoutingWeights previous, Instant now) {
        return decide(calculator.compute(inputs, now, previous), previous, now);
    }

    /** {@link #decide(RoutingInputs, RoutingWeights, Instant)} for targets computed already. */
    public Decision decide(RoutingTargets targets, RoutingWeights previous, Instant now) {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(now, "now");
        if (previous == null) {
            RoutingWeights first = new RoutingWeights(targets.clientRegion(), 1, now, false, targets.tiers(),
                    targets.excluded());
            return new Decision.Publish(Validated.requireValid(first), Decision.Cause.FIRST, targets,
                    earliest(now.plus(settings.heartbeat()), targets.expiresAt()));
        }
        if (!previous.clientRegion().equals(targets.clientRegion())) {
            throw new IllegalArgumentException("previous version is for " + previous.clientRegion() + ", targets for "
                    + targets.clientRegion());
        }
        Duration elapsed = Duration.between(previous.computedAt(), now);
        if (elapsed.isNegative()) {
            elapsed = Duration.ZERO;
        }
        // After a heartbeat the last real version is at least a heartbeat (≥ interval) old.
        boolean stepDue = previous.heartbeat() || elapsed.compareTo(settings.interval()) >= 0;

        boolean structural = !exclusionKeys(previous.excluded()).equals(exclusionKeys(targets.excluded()));
        boolean beyondEpsilon = false;
        boolean pendingAfterStep = false;
        List<TierTable> tables = new ArrayList<>();
        for (TierTable target : targets.tiers()) {
            TierTable published = previous.table(target.tier())
                    .orElse(new TierTable(target.tier(), List.of(), List.of(), "not published"));
            structural |= !sameMembers(published, target);

            double[] regionTargets = target.regions().stream().mapToDouble(RegionWeight::weight).toArray();
            double[] regionBase = baseline(regionTargets, target.regions().stream().map(RegionWeight::region).toList(),
                    published.regions().stream().collect(Collectors.toMap(RegionWeight::region, RegionWeight::weight, (a, b) -> a)));
            double[] nodeTargets = target.nodes().stream().mapToDouble(NodeWeight::weight).toArray();
            double[] nodeBase = baseline(nodeTargets, target.nodes().stream().map(NodeWeight::nodeId).toList(),
                    published.nodes().stream().collect(Collectors.toMap(NodeWeight::nodeId, NodeWeight::weight, (a, b) -> a)));
            int nodeCount = nodeTargets.length;

            beyondEpsilon |= maxDeviation(regionBase, regionTargets) > settings.epsilon()
                    || nodeCount * maxDeviation(nodeBase, nodeTargets) > settings.nodeEpsilon();
            double[] regionWeights = stepDue ? step(regionBase, regionTargets, settings.maxStep()) : regionBase;
            double[] nodeWeights = stepDue && nodeCount > 0
                    ? step(nodeBase, nodeTargets, settings.nodeMaxStep() / nodeCount) : nodeBase;
            pendingAfterStep |= maxDeviation(regionWeights, regionTargets) > settings.epsilon()
                    || nodeCount * maxDeviation(nodeWeights, nodeTargets) > settings.nodeEpsilon();
            tables.add(withWeights(target, regionWeights, nodeWeights));
        }

        if (structural || (stepDue && beyondEpsilon)) {
            RoutingWeights next = new RoutingWeights(targets.clientRegion(), previous.version() + 1, now, false, tables,
                    targets.excluded());
            Instant nextCheck = now.plus(pendingAfterStep ? settings.interval() : settings.heartbeat());
            return new Decision.Publish(Validated.requireValid(next),
                    structural ? Decision.Cause.ELIGIBILITY_CHANGED : Decision.Cause.DAMPED_STEP, targets,
                    earliest(nextCheck, targets.expiresAt()));
        }
        if (elapsed.compareTo(settings.heartbeat()) >= 0) {
            RoutingWeights heartbeat = new RoutingWeights(previous.clientRegion(), previous.version(), now, true,
                    previous.tiers(), previous.excluded());
            return new Decision.Publish(Validated.requireValid(heartbeat), Decision.Cause.HEARTBEAT, targets,
                    earliest(now.plus(settings.heartbeat()), targets.expiresAt()));
        }
        Instant nextCheck = beyondEpsilon ? previous.computedAt().plus(settings.interval())
                : previous.computedAt().plus(settings.heartbeat());
        return new Decision.Hold(targets, earliest(nextCheck, targets.expiresAt()));
    }

    /**
     * The published weights aligned with the targets. Members that are new start at their target; members that
     * stayed keep their published proportions, scaled into the share the newcomers leave.
     */
    private static double[] baseline(double[] targets, List<String> names, Map<String, Double> published) {
        double[] base = new double[targets.length];
        double survivorsPublished = 0;
        double newcomersTarget = 0;
        for (int i = 0; i < targets.length; i++) {
            Double weight = published.get(names.get(i));
            if (weight == null) {
                newcomersTarget += targets[i];
            } else {
                survivorsPublished += weight;
            }
        }
        double scale = survivorsPublished > 0 ? (1 - newcomersTarget) / survivorsPublished : 0;
        for (int i = 0; i < targets.length; i++) {
            Double weight = published.get(names.get(i));
            base[i] = weight == null || survivorsPublished <= 0 ? targets[i] : weight * scale;
        }
        return base;
    }

    private static double[] step(double[] from, double[] to, double maxStep) {
        double deviation = maxDeviation(from, to);
        if (deviation == 0) {
            return from;
        }
        double lambda = Math.min(1, maxStep / deviation);
        double[] moved = new double[from.length];
        for (int i = 0; i < from.length; i++) {
            moved[i] = lambda == 1 ? to[i] : Math.max(0, from[i] + lambda * (to[i] - from[i]));
        }
        return moved;
    }

    private static double maxDeviation(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static TierTable withWeights(TierTable target, double[] regionWeights, double[] nodeWeights) {
        List<RegionWeight> regions = new ArrayList<>(regionWeights.length);
        for (int i = 0; i < regionWeights.length; i++) {
            RegionWeight r = target.regions().get(i);
            regions.add(new RegionWeight(r.region(), regionWeights[i], r.eligibleNodes(), r.load(), r.latencyMs()));
        }
        List<NodeWeight> nodes = new ArrayList<>(nodeWeights.length);
        for (int i = 0; i < nodeWeights.length; i++) {
            NodeWeight n = target.nodes().get(i);
            nodes.add(new NodeWeight(n.nodeId(), n.region(), n.pool(), nodeWeights[i], n.load()));
        }
        return new TierTable(target.tier(), regions, nodes, target.noneEligibleReason());
    }

    private static boolean sameMembers(TierTable published, TierTable target) {
        return published.regions().stream().map(RegionWeight::region).toList()
                .equals(target.regions().stream().map(RegionWeight::region).toList())
                && published.nodes().stream().map(NodeWeight::nodeId).toList()
                        .equals(target.nodes().stream().map(NodeWeight::nodeId).toList())
                && Objects.equals(published.noneEligibleReason(), target.noneEligibleReason());
    }

    /** What makes two exclusions the same; the detail is prose and may be worded differently. */
    private record ExclusionKey(ExclusionScope scope, String target, Tier tier, ExclusionReason reason) {
    }

    private static Set<ExclusionKey> exclusionKeys(List<Exclusion> exclusions) {
        return exclusions.stream().map(e -> new ExclusionKey(e.scope(), e.target(), e.tier(), e.reason()))
                .collect(Collectors.toSet());
    }

    private static Instant earliest(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }
}
