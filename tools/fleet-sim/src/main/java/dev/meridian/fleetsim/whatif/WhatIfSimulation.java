package dev.meridian.fleetsim.whatif;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.fleetsim.model.FleetModel;
import dev.meridian.fleetsim.model.NodePhase;
import dev.meridian.fleetsim.model.SimNode;
import dev.meridian.fleetsim.model.SpotInterruptions;
import dev.meridian.fleetsim.model.Step;
import dev.meridian.policy.cost.Budget;
import dev.meridian.policy.cost.BudgetEvaluation;
import dev.meridian.policy.cost.BudgetMonth;
import dev.meridian.policy.cost.BudgetPolicy;
import dev.meridian.policy.cost.BudgetScope;
import dev.meridian.policy.cost.BudgetSettings;
import dev.meridian.policy.cost.BudgetTrack;
import dev.meridian.policy.cost.CostLedger;
import dev.meridian.policy.cost.LedgerStep;
import dev.meridian.policy.cost.MonthSpend;
import dev.meridian.policy.cost.PriceCatalog;
import dev.meridian.policy.cost.PriceKey;
import dev.meridian.policy.cost.PricePeriod;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.routing.RoutingInputs;
import dev.meridian.policy.routing.RoutingPolicy;
import dev.meridian.policy.scaling.GoverningBudget;
import dev.meridian.policy.scaling.Outcome;
import dev.meridian.policy.scaling.PoolNode;
import dev.meridian.policy.scaling.PoolScalingState;
import dev.meridian.policy.scaling.ScalingPolicy;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.NodeWindowAggregate;
import dev.meridian.policy.window.PoolWindowAggregate;
import dev.meridian.policy.window.TumblingWindows;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.Price;
import dev.meridian.registry.rules.FleetRules;
import dev.meridian.registry.rules.ScaledPool;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One policy set over one scenario on a simulated clock, one simulated second per step, as fast as the CPU allows.
 * The loop is the system's, with every decision made by the very libs/policy code the services run:
 * <ol>
 * <li>the {@link FleetModel} serves the traffic as the published weights split it and reports one sample per node;</li>
 * <li>ingest's part: samples fold into 10 s tumbling windows ({@link TumblingWindows}, {@link NodeWindowAggregate},
 * {@link PoolWindowAggregate}), closed at end + grace; the inventory follows {@link NodeLiveness} (JOINED on a sample,
 * STALE after three silent windows, LEFT after five minutes);</li>
 * <li>the scaler's part: {@link ScalingPolicy} per pool on each pool window, at each deadline it asks for and on each
 * interruption notice, gated by {@link GoverningBudget}; its commands go straight to the model;</li>
 * <li>the scheduler's part: {@link RoutingPolicy} per client region after each window (region weights only: within a
 * region the model balances by capacity);</li>
 * <li>cost's part: a {@link CostLedger} over the inventory, ticked every minute, and {@link BudgetPolicy} per budget
 * of the registry, whose states gate the scaler.</li>
 * </ol>
 * Differences from the running system: no broker latency (a command acts in the second it is decided), pool windows
 * are emitted at close rather than as soon as every node reported, and commands are applied by the simulator instead
 * of an actuator.
 */
final class WhatIfSimulation {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration COST_TICK = Duration.ofMinutes(1);

    private final Scenario scenario;
    private final PolicySet policy;
    private final FleetSnapshot fleet;
    private final FleetModel model;
    private final List<String> clientRegions;
    private final TumblingWindows windows = TumblingWindows.DEFAULT;
    private final NodeLiveness liveness = new NodeLiveness(TumblingWindows.DEFAULT, 3, Duration.ofMinutes(5));

    // ingest
    private final TreeMap<Instant, Map<String, NodeWindowAggregate>> openWindows = new TreeMap<>();
    private final Map<String, Observed> inventory = new TreeMap<>();
    private final Map<String, Double> nodeLoad = new HashMap<>();
    private final Map<String, PoolUtilization> latestPools = new TreeMap<>();

    // scaler
    private final Map<String, ScaledPool> pools;
    private final Map<String, PoolScalingState> scaling = new TreeMap<>();
    private final Map<String, Instant> nextCheck = new HashMap<>();
    private final Map<String, List<Interruption>> notices = new TreeMap<>();

    // scheduler
    private final RoutingPolicy routing;
    private final Residency residency;
    private final List<LatencyProbe> probes;
    private final Map<String, RoutingWeights> published = new HashMap<>();

    // cost
    private final PriceCatalog prices;
    private final BudgetPolicy budgetPolicy = new BudgetPolicy(BudgetSettings.DEFAULTS);
    private final List<Budget> budgets;
    private final Map<String, BigDecimal> priorSpend = new HashMap<>();
    private final MonthSpend monthSpend;
    private final Map<String, SpendAggregate> spend = new HashMap<>();
    private final Map<String, BudgetTrack> tracks = new HashMap<>();
    private final Map<String, BudgetStatus> statuses = new LinkedHashMap<>();
    private CostLedger ledger;

    // results
    private final Map<ScaleAction, Integer> actions = new EnumMap<>(ScaleAction.class);
    private final List<ScaleCommand> commands = new ArrayList<>();
    private double overload;
    private double nodeSeconds;
    private int peakNodes;
    private double demandTokens;
    private double droppedTokens;
    private int interruptions;
    private int alerts;
    private long weightVersions;
    private BudgetState worstBudget = BudgetState.OK;

    /** A node as ingest's inventory holds it, with the end of the last window that held one of its samples. */
    private record Observed(FleetNode node, Instant lastSeenWindowEnd) {
    }

    WhatIfSimulation(Scenario scenario, PolicySet policy) {
        this.scenario = scenario;
        this.policy = policy;
        this.fleet = scenario.fleet();
        this.model = new FleetModel(scenario.capacity(), scenario.delays(), new SpotInterruptions(scenario.spotRate()),
                new Random(scenario.seed()));
        this.clientRegions = List.copyOf(FleetRules.clientRegions(fleet));
        this.pools = FleetRules.scaledPools(fleet, policy.scaling());
        this.routing = new RoutingPolicy(policy.routing());
        this.residency = FleetRules.residency(fleet);
        this.probes = scenario.latency().probes(clientRegions, (from, to) -> new LatencyProbe(from, to,
                scenario.latency().rttMs(from, to), scenario.start(), FleetModel.SOURCE));
        this.prices = PriceCatalog.of(currency(fleet), fleet.prices().stream()
                .filter(p -> p.currency().equals(currency(fleet)))
                .map(p -> new PricePeriod(new PriceKey(p.region(), p.instanceType(), p.capacityType()),
                        p.effectiveFrom(), p.effectiveUntil().orElse(null), p.hourlyPrice(), p.currency()))
                .toList());
        this.budgets = FleetRules.budgets(fleet, (scope, reason) -> {
            throw new IllegalArgumentException("budget " + scope + " cannot be simulated: " + reason);
        });
        BudgetMonth month = BudgetMonth.of(scenario.start(), BudgetSettings.DEFAULTS.zone());
        this.monthSpend = MonthSpend.of(month, budgets);
        double elapsedShare = (double) Duration.between(month.start(), scenario.start()).toSeconds()
                / month.length().toSeconds();
        for (Budget budget : budgets) {
            priorSpend.put(budget.scope().scope(), budget.monthlyAmount()
                    .multiply(BigDecimal.valueOf(scenario.budgetUsedPercent() / 100 * elapsedShare)));
        }
        this.ledger = CostLedger.startingAt(scenario.start(), CostLedger.DEFAULT_LATENESS);
    }

    WhatIfResult run() {
        long started = System.nanoTime();
        Instant start = scenario.start();
        model.adopt(fleet, start);
        evaluateBudgets(start);
        long seconds = scenario.duration().getSeconds();
        for (long s = 0; s < seconds; s++) {
            Instant now = start.plusSeconds(s);
            second(now);
            if (s > 0 && s % COST_TICK.getSeconds() == 0) {
                tickCost(now);
                evaluateBudgets(now);
            }
        }
        Instant end = start.plusSeconds(seconds);
        tickCost(end);
        evaluateBudgets(end);
        return result(Duration.ofNanos(System.nanoTime() - started));
    }

    private void second(Instant now) {
        Map<String, Double> demand = new LinkedHashMap<>();
        for (String region : clientRegions) {
            double tokens = scenario.traffic().tokensPerSecond(region, scenario.start(), now, SECOND);
            demand.put(region, tokens);
            demandTokens += tokens;
        }
        Step step = model.step(now, SECOND, demand);
        overload += step.overloadNodeSeconds();
        droppedTokens += step.dropped(Tier.CORE_GPU);
        nodeSeconds += step.samples().size();
        peakNodes = Math.max(peakNodes, step.samples().size());

        Set<String> interrupted = new TreeSet<>();
        for (Interruption notice : step.notices()) {
            String key = notice.region() + "/" + notice.pool();
            notices.computeIfAbsent(key, k -> new ArrayList<>()).add(notice);
            interrupted.add(key);
            interruptions++;
        }
        Set<String> reporting = new HashSet<>();
        for (NodeMetric sample : step.samples()) {
            observe(sample, now);
            reporting.add(sample.nodeId());
        }
        ageInventory(now, reporting);
        while (!openWindows.isEmpty() && !windows.closesAt(openWindows.firstKey()).isAfter(now)) {
            closeWindow(openWindows.pollFirstEntry(), now);
        }
        for (String pool : pools.keySet()) {
            Instant due = nextCheck.get(pool);
            if (interrupted.contains(pool) || (due != null && !due.isAfter(now))) {
                decide(pool, null, now);
            }
        }
    }

    // ---- ingest ---------------------------------------------------------------------------------------------

    private void observe(NodeMetric sample, Instant now) {
        Instant windowStart = windows.startOf(sample.timestamp());
        openWindows.computeIfAbsent(windowStart, w -> new HashMap<>())
                .merge(sample.nodeId(), NodeWindowAggregate.empty().add(sample), (held, one) -> held.add(sample));
        Observed seen = inventory.get(sample.nodeId());
        Instant windowEnd = windows.endOf(windowStart);
        boolean joins = seen == null || seen.node().state() != NodeState.JOINED
                || !seen.node().pool().equals(sample.pool()) || !seen.node().instanceType().equals(sample.instanceType());
        FleetNode node = new FleetNode(sample.nodeId(), sample.region(), sample.zone(), sample.pool(), sample.tier(),
                sample.instanceType(), sample.capacityType(), NodeState.JOINED,
                joins ? now : seen.node().since(), sample.timestamp());
        inventory.put(sample.nodeId(), new Observed(node, windowEnd));
        if (joins) {
            applyToLedger(node, now);
        }
    }

    private void ageInventory(Instant now, Set<String> reporting) {
        for (Map.Entry<String, Observed> entry : inventory.entrySet()) {
            Observed seen = entry.getValue();
            NodeState state = seen.node().state();
            if (state == NodeState.LEFT || reporting.contains(entry.getKey())) {
                continue;
            }
            NodeState next = liveness.stateAt(seen.lastSeenWindowEnd(), now);
            if (next != state) {
                FleetNode node = seen.node();
                FleetNode changed = new FleetNode(node.nodeId(), node.region(), node.zone(), node.pool(), node.tier(),
                        node.instanceType(), node.capacityType(), next, now, node.lastSeen());
                entry.setValue(new Observed(changed, seen.lastSeenWindowEnd()));
                applyToLedger(changed, now);
            }
        }
        inventory.values().removeIf(seen -> seen.node().state() == NodeState.LEFT
                && seen.node().since().isBefore(now.minus(Duration.ofHours(1))));
    }

    private void closeWindow(Map.Entry<Instant, Map<String, NodeWindowAggregate>> window, Instant now) {
        Instant start = window.getKey();
        Instant end = windows.endOf(start);
        Map<String, PoolWindowAggregate> byPool = new TreeMap<>();
        for (NodeWindowAggregate aggregate : window.getValue().values()) {
            NodeUtilization node = aggregate.toUtilization(start, end);
            nodeLoad.put(node.nodeId(), PoolWindowAggregate.loadOf(node.tier(), node.gpuAvg(), node.cpuAvg()));
            byPool.merge(node.region() + "/" + node.pool(), PoolWindowAggregate.empty().add(node),
                    (held, one) -> held.add(node));
        }
        for (Map.Entry<String, PoolWindowAggregate> pool : byPool.entrySet()) {
            int known = 0;
            int stale = 0;
            for (Observed seen : inventory.values()) {
                FleetNode node = seen.node();
                if (pool.getKey().equals(node.region() + "/" + node.pool()) && node.state() != NodeState.LEFT) {
                    known++;
                    stale += node.state() == NodeState.STALE ? 1 : 0;
                }
            }
            PoolUtilization utilization = pool.getValue().toUtilization(start, end, known, stale);
            latestPools.put(pool.getKey(), utilization);
            decide(pool.getKey(), utilization, now);
        }
        route(now);
    }

    // ---- scaler ---------------------------------------------------------------------------------------------

    private void decide(String poolKey, PoolUtilization window, Instant now) {
        ScaledPool pool = pools.get(poolKey);
        if (pool == null) {
            return;
        }
        List<PoolNode> members = new ArrayList<>();
        for (Observed seen : inventory.values()) {
            FleetNode node = seen.node();
            if (node.state() != NodeState.LEFT && poolKey.equals(node.region() + "/" + node.pool())) {
                members.add(PoolNode.of(node, false, nodeLoad.get(node.nodeId())));
            }
        }
        List<Interruption> poolNotices = notices.computeIfAbsent(poolKey, k -> new ArrayList<>());
        // The scaler keeps a notice until its node has left; each is acted on once.
        poolNotices.removeIf(notice -> {
            Observed seen = inventory.get(notice.nodeId());
            return seen == null || seen.node().state() == NodeState.LEFT;
        });
        PoolScalingState before = scaling.getOrDefault(poolKey, PoolScalingState.INITIAL);
        Outcome outcome = ScalingPolicy.decide(before,
                pool.snapshot(window, members, poolNotices, statuses.values(), now), now);
        scaling.put(poolKey, outcome.state());
        nextCheck.put(poolKey, outcome.nextCheckAt() == null ? Instant.MAX : outcome.nextCheckAt());
        for (ScaleCommand command : outcome.commands()) {
            actions.merge(command.action(), 1, Integer::sum);
            commands.add(command);
            model.apply(command, now);
        }
    }

    // ---- scheduler ------------------------------------------------------------------------------------------

    private void route(Instant now) {
        Set<String> draining = new HashSet<>();
        Set<String> reclaimed = new HashSet<>();
        for (SimNode node : model.nodes()) {
            if (node.phase() == NodePhase.DRAINING) {
                draining.add(node.nodeId());
            }
            if (node.reclaimAt() != null) {
                reclaimed.add(node.nodeId());
            }
        }
        List<PoolUtilization> poolWindows = List.copyOf(latestPools.values());
        for (String client : clientRegions) {
            RoutingInputs inputs = new RoutingInputs(client, Set.of(), residency, poolWindows, List.of(), List.of(),
                    probes, draining, reclaimed);
            routing.decide(inputs, published.get(client), now).toPublish().ifPresent(weights -> {
                if (!weights.heartbeat()) {
                    weightVersions++;
                }
                published.put(client, weights);
                model.weights(weights);
            });
        }
    }

    // ---- cost -----------------------------------------------------------------------------------------------

    private void applyToLedger(FleetNode node, Instant now) {
        ScaledPool pool = pools.get(node.region() + "/" + node.pool());
        absorb(ledger.onNode(node, pool == null ? Map.of() : pool.pool().tags(), prices, now));
    }

    private void tickCost(Instant now) {
        absorb(ledger.tick(now, prices));
    }

    private void absorb(LedgerStep step) {
        ledger = step.ledger();
        for (SpendAggregate aggregate : step.aggregates()) {
            if (MonthSpend.newer(aggregate, spend.get(aggregate.id()))) {
                spend.put(aggregate.id(), aggregate);
            }
            monthSpend.apply(aggregate);
        }
    }

    private void evaluateBudgets(Instant now) {
        for (Budget budget : budgets) {
            String scope = budget.scope().scope();
            BigDecimal spent = priorSpend.get(scope).add(monthSpend.spent(scope));
            BudgetEvaluation evaluation = budgetPolicy.evaluate(tracks.get(scope), budget, spent, now);
            tracks.put(scope, evaluation.track());
            statuses.put(scope, evaluation.status());
            alerts += evaluation.alerts().size();
            if (evaluation.status().state().compareTo(worstBudget) > 0) {
                worstBudget = evaluation.status().state();
            }
        }
    }

    // ---- result ---------------------------------------------------------------------------------------------

    private WhatIfResult result(Duration elapsed) {
        BigDecimal total = spend.values().stream().map(SpendAggregate::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BudgetStatus global = statuses.get(BudgetScope.GLOBAL);
        BudgetState state = global != null ? global.state()
                : statuses.values().stream().map(BudgetStatus::state).max(Enum::compareTo).orElse(BudgetState.OK);
        double percent = global != null ? global.percentOfBudget() : 0;
        return new WhatIfResult(policy.name(), overload, actions, total, currency(fleet), state, percent, worstBudget,
                alerts, weightVersions, nodeSeconds, peakNodes, demandTokens, droppedTokens, interruptions, commands,
                elapsed);
    }

    private static String currency(FleetSnapshot fleet) {
        return fleet.prices().stream().map(Price::currency).findFirst().orElse("USD");
    }
}
