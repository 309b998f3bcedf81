package dev.meridian.fleetsim.model;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * The simulated fleet: nodes of the registry's pools that join, serve, drain and leave as scale commands ask, take
 * their share of the client traffic as the routing weights split it, and report one {@link NodeMetric} per step.
 * Pure: no Kafka, no clock; time is the {@code now} of each call, randomness the seeded {@link Random} given.
 *
 * <p><b>Commands</b> (each applied once, by {@code commandId}):
 * <ul>
 * <li>SCALE_OUT: {@code delta} new nodes after the cold delay, of the command's instance type (else the pool's) and
 * capacity type; a warm-pool refill (purpose {@code WARM_POOL}, as the scaler writes it) joins the warm pool
 * instead of serving.</li>
 * <li>ACTIVATE_WARM: the named warm nodes serve after the warm delay.</li>
 * <li>DRAIN: the named nodes finish their backlog and take no new traffic, but keep reporting.</li>
 * <li>SCALE_IN: the named nodes leave at once (they stop reporting; ingest declares them STALE, then LEFT).</li>
 * <li>REPLACE: one new node after the cold delay, of the command's capacity type (on-demand for a spot fallback);
 * warm if the replaced node was.</li>
 * <li>RESIZE: after the cold delay every node of the pool runs the target type.</li>
 * <li>DEFERRED: nothing, by definition.</li>
 * </ul>
 *
 * <p><b>Utilization.</b> Each step a SERVING node is offered its share of the traffic plus its backlog; it serves up
 * to its capacity, the rest waits (at most {@link #BACKLOG_LIMIT} of its capacity: clients give up beyond that). Its
 * load is served / capacity. GPU memory is 50 % (the model) plus 40 % of the load (KV cache), at most 90 %, so it never
 * passes the scaler's 95 % resize threshold on its own; queue depth is the backlog in requests of 1,000 tokens.
 */
public final class FleetModel {

    /** Load from which a node counts as overloaded: the same 95 % at which ingest calls it saturated. */
    public static final double OVERLOADED_AT = 95.0;
    /** Clients time out after this much work is queued ahead of them. */
    public static final Duration BACKLOG_LIMIT = Duration.ofSeconds(30);
    /** The {@code source} of the interruption notices this model gives. */
    public static final String SOURCE = "fleet-sim";

    private static final int REMEMBERED_COMMANDS = 100_000;
    private static final double TOKENS_PER_REQUEST = 1_000;
    private static final double BYTES_PER_TOKEN = 4;

    private final CapacityTable capacity;
    private final Delays delays;
    private final SpotInterruptions spot;
    private final Random random;
    /** Creation order, so every iteration (and every random draw) is deterministic. */
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final Map<String, NodePool> pools = new TreeMap<>();
    private final Map<String, Integer> sequence = new HashMap<>();
    private final Map<String, RoutingWeights> weights = new HashMap<>();
    private final List<Resize> resizes = new ArrayList<>();
    private final Map<String, Boolean> applied = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    };

    private record Resize(String poolKey, String targetType, Instant at) {
    }

    public FleetModel(CapacityTable capacity, Delays delays, SpotInterruptions spot, Random random) {
        this.capacity = Objects.requireNonNull(capacity, "capacity");
        this.delays = Objects.requireNonNull(delays, "delays");
        this.spot = Objects.requireNonNull(spot, "spot");
        this.random = Objects.requireNonNull(random, "random");
    }

    public CapacityTable capacity() {
        return capacity;
    }

    public Delays delays() {
        return delays;
    }

    /**
     * Takes the registry's pools: a pool seen for the first time starts with its minimum size, serving at once.
     * Later snapshots update the pools' settings; nodes of a pool that disappears are left as they are.
     */
    public void adopt(FleetSnapshot fleet, Instant now) {
        for (NodePool pool : fleet.pools()) {
            String key = pool.region() + "/" + pool.name();
            NodePool previous = pools.put(key, pool);
            if (previous == null) {
                for (int i = 0; i < pool.minSize(); i++) {
                    add(pool, pool.instanceTypes().get(0), pool.capacityType(), NodePhase.SERVING, now, false);
                }
            }
        }
    }

    /** Keeps the newest version per client region (a heartbeat repeats it). */
    public void weights(RoutingWeights published) {
        weights.merge(published.clientRegion(), published,
                (held, next) -> next.version() >= held.version() ? next : held);
    }

    public Map<String, RoutingWeights> weights() {
        return Collections.unmodifiableMap(weights);
    }

    /**
     * Applies a scale command once.
     *
     * @return whether it changed the fleet: false for a repeated id, a DEFERRED command or an unknown pool
     */
    public boolean apply(ScaleCommand command, Instant now) {
        NodePool pool = pools.get(command.key());
        if (pool == null || applied.containsKey(command.commandId())) {
            return false;
        }
        applied.put(command.commandId(), Boolean.TRUE);
        Instant coldReady = now.plus(delays.cold());
        switch (command.action()) {
            case SCALE_OUT -> {
                boolean warm = command.effectivePurpose() == ScalePurpose.WARM_POOL;
                String type = command.instanceType() != null ? command.instanceType() : currentType(pool);
                for (int i = 0; i < command.delta(); i++) {
                    add(pool, type, command.capacityType(), NodePhase.PROVISIONING, coldReady, warm);
                }
            }
            case ACTIVATE_WARM -> named(command).forEach(node -> {
                if (node.phase() == NodePhase.WARM) {
                    node.phase(NodePhase.ACTIVATING, now.plus(delays.warm()));
                } else if (node.phase() == NodePhase.PROVISIONING) {
                    node.joinsWarm(false);
                }
            });
            case DRAIN -> named(command).forEach(node -> {
                if (node.phase().reports()) {
                    node.phase(NodePhase.DRAINING, null);
                }
            });
            case SCALE_IN -> named(command).forEach(node -> node.phase(NodePhase.GONE, null));
            case REPLACE -> {
                boolean warm = named(command).stream().anyMatch(node -> node.phase() == NodePhase.WARM);
                String type = command.instanceType() != null ? command.instanceType() : currentType(pool);
                add(pool, type, command.capacityType(), NodePhase.PROVISIONING, coldReady, warm);
            }
            case RESIZE -> resizes.add(new Resize(command.key(), command.targetInstanceType(), coldReady));
            case DEFERRED -> {
                return false;
            }
        }
        return true;
    }

    /** Advances the fleet to {@code now} and reports one sample per node that exists. */
    public Step step(Instant now, Duration length, Map<String, Double> demand) {
        double seconds = length.toNanos() / 1e9;
        advanceLifecycles(now);
        List<Interruption> notices = giveNotices(now, length);

        List<SimNode> serving = nodes.values().stream().filter(n -> n.phase() == NodePhase.SERVING).toList();
        TrafficSplit.Result split = TrafficSplit.split(demand, weights, serving, capacity);
        Map<Tier, Double> dropped = new EnumMap<>(Tier.class);
        split.unserved().forEach((tier, tokens) -> dropped.merge(tier, tokens * seconds, Double::sum));

        List<NodeMetric> samples = new ArrayList<>();
        Map<String, Double> utilization = new HashMap<>();
        double overload = 0;
        for (SimNode node : nodes.values()) {
            if (!node.phase().reports()) {
                continue;
            }
            InstanceProfile profile = capacity.profile(node.instanceType(), node.tier());
            double capacityTokens = profile.tokensPerSecond() * seconds;
            double offered = split.perNode().getOrDefault(node.nodeId(), 0.0) * seconds + node.backlog();
            double served = Math.min(offered, capacityTokens);
            double waiting = offered - served;
            double limit = profile.tokensPerSecond() * BACKLOG_LIMIT.toSeconds();
            if (waiting > limit) {
                dropped.merge(node.tier(), waiting - limit, Double::sum);
                waiting = limit;
            }
            node.backlog(waiting);
            double load = capacityTokens > 0 ? 100.0 * served / capacityTokens : 0;
            utilization.put(node.nodeId(), load);
            if (load >= OVERLOADED_AT) {
                overload += seconds;
            }
            samples.add(sample(node, profile, now, load, seconds > 0 ? served / seconds : 0));
        }
        nodes.values().removeIf(node -> node.phase() == NodePhase.GONE);
        return new Step(now, samples, notices, utilization, overload, dropped);
    }

    /** Every node that exists or is on its way, in creation order. */
    public Collection<SimNode> nodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    public SimNode node(String nodeId) {
        return nodes.get(nodeId);
    }

    /** Nodes per pool and phase, by {@code region/pool}, sorted; every adopted pool is listed. */
    public Map<String, PoolCounts> counts() {
        Map<String, PoolCounts> counts = new TreeMap<>();
        pools.keySet().forEach(key -> counts.put(key, PoolCounts.NONE));
        for (SimNode node : nodes.values()) {
            counts.merge(node.poolKey(), PoolCounts.NONE.plus(node.phase()),
                    (held, one) -> held.plus(node.phase()));
        }
        return counts;
    }

    /** Nodes asked for and not there yet, over all pools. */
    public int pendingProvisions() {
        return (int) nodes.values().stream().filter(n -> n.phase() == NodePhase.PROVISIONING).count();
    }

    private void advanceLifecycles(Instant now) {
        for (SimNode node : nodes.values()) {
            if (node.reclaimAt() != null && !node.reclaimAt().isAfter(now)) {
                node.phase(NodePhase.GONE, null);
            } else if (node.phase() == NodePhase.PROVISIONING && !node.readyAt().isAfter(now)) {
                node.phase(node.joinsWarm() ? NodePhase.WARM : NodePhase.SERVING, null);
            } else if (node.phase() == NodePhase.ACTIVATING && !node.readyAt().isAfter(now)) {
                node.phase(NodePhase.SERVING, null);
            }
        }
        for (Iterator<Resize> due = resizes.iterator(); due.hasNext(); ) {
            Resize resize = due.next();
            if (!resize.at().isAfter(now)) {
                nodes.values().stream().filter(n -> n.poolKey().equals(resize.poolKey()))
                        .forEach(n -> n.instanceType(resize.targetType()));
                due.remove();
            }
        }
    }

    private List<Interruption> giveNotices(Instant now, Duration length) {
        List<SimNode> candidates = nodes.values().stream()
                .filter(n -> n.capacityType() == CapacityType.SPOT && n.reclaimAt() == null
                        && (n.phase() == NodePhase.SERVING || n.phase() == NodePhase.WARM))
                .toList();
        List<Interruption> notices = new ArrayList<>();
        for (SimNode node : spot.draw(candidates, length, random)) {
            Instant deadline = now.plus(delays.reclaimNotice());
            node.reclaimAt(deadline);
            notices.add(new Interruption(node.nodeId(), node.region(), node.pool(), now, deadline, SOURCE));
        }
        return notices;
    }

    private static NodeMetric sample(SimNode node, InstanceProfile profile, Instant now, double load,
            double tokensPerSecond) {
        double queue = node.backlog() / TOKENS_PER_REQUEST;
        double net = tokensPerSecond * BYTES_PER_TOKEN;
        if (node.tier() == Tier.EDGE_CPU) {
            return new NodeMetric(node.nodeId(), node.region(), node.zone(), node.pool(), node.tier(),
                    node.instanceType(), node.capacityType(), now, 0, 0, 0, 0, load, 30 + 0.3 * load, net, net,
                    queue, null);
        }
        long total = profile.gpuMemTotalMiB();
        long used = (long) Math.floor(total * (0.50 + 0.40 * load / 100));
        return new NodeMetric(node.nodeId(), node.region(), node.zone(), node.pool(), node.tier(), node.instanceType(),
                node.capacityType(), now, profile.gpuCount(), load, used, total, 8 + 0.2 * load,
                40 + 0.2 * load, net, net, queue, load);
    }

    private List<SimNode> named(ScaleCommand command) {
        return command.nodes().stream().map(nodes::get).filter(Objects::nonNull).toList();
    }

    /** The pool's most common type among present nodes; the bottom rung for an empty pool. */
    private String currentType(NodePool pool) {
        Map<String, Integer> counts = new HashMap<>();
        nodes.values().stream()
                .filter(n -> n.poolKey().equals(pool.region() + "/" + pool.name()) && n.phase().reports())
                .forEach(n -> counts.merge(n.instanceType(), 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(pool.instanceTypes().get(0));
    }

    private void add(NodePool pool, String type, CapacityType capacityType, NodePhase phase, Instant readyAt,
            boolean warm) {
        String key = pool.region() + "/" + pool.name();
        int n = sequence.merge(key, 1, Integer::sum);
        String id = String.format("%s-%s-%04d", pool.region(), pool.name(), n);
        String zone = pool.region() + "-" + (char) ('a' + (n - 1) % 3);
        nodes.put(id, new SimNode(id, pool.region(), zone, pool.name(), pool.tier(), type, capacityType, phase,
                readyAt, warm));
    }
}
