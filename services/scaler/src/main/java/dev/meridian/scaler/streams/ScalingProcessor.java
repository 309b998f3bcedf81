package dev.meridian.scaler.streams;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.ActionStatus;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.policy.scaling.OperatorHolds;
import dev.meridian.policy.scaling.Outcome;
import dev.meridian.policy.scaling.PoolNode;
import dev.meridian.policy.scaling.PoolScalingState;
import dev.meridian.policy.scaling.ScalingPolicy;
import dev.meridian.registry.rules.FleetRules;
import dev.meridian.registry.rules.ScaledPool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each pool's inputs in the stores and decides: at once on a pool window or an interruption notice, and on
 * a wall-clock tick when a deadline (a due SCALE_IN, an expiring request) has passed. Inventory and node loads only
 * update the stores; the next decision sees them.
 */
final class ScalingProcessor implements Processor<String, ScalerInput, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingProcessor.class);
    private static final StringSerializer PREFIX = new StringSerializer();

    private final ScalerTopology.Settings settings;
    private final ScalerMetrics metrics;
    /**
     * When each pool next needs a time-driven decision. Not stored: after a restart every pool is simply decided
     * once on the first tick, which is harmless (deciding again changes nothing) and rebuilds this map.
     */
    private final Map<String, Instant> nextCheck = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, PoolScalingState> pools;
    private KeyValueStore<String, NodeEntry> nodes;
    private KeyValueStore<String, Interruption> interruptions;
    private KeyValueStore<String, BudgetStatus> budgets;
    private KeyValueStore<String, OperatorHolds> holds;

    ScalingProcessor(ScalerTopology.Settings settings, ScalerMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        pools = context.getStateStore(StateStores.SCALER_POOLS);
        nodes = context.getStateStore(StateStores.SCALER_NODES);
        interruptions = context.getStateStore(StateStores.SCALER_INTERRUPTIONS);
        budgets = context.getStateStore(StateStores.SCALER_BUDGETS);
        holds = context.getStateStore(StateStores.SCALER_HOLDS);
        context.schedule(settings.tick(), PunctuationType.WALL_CLOCK_TIME, timestamp -> onTick());
    }

    @Override
    public void process(Record<String, ScalerInput> record) {
        ScalerInput input = record.value();
        String pool = record.key();
        if (input == null || pool == null) {
            return;
        }
        if (input.window() != null) {
            decide(pool, input.window(), Instant.ofEpochMilli(record.timestamp()));
        } else if (input.node() != null) {
            remember(pool, input.node());
        } else if (input.load() != null) {
            remember(pool, input.load());
        } else if (input.interruption() != null) {
            Interruption notice = input.interruption();
            interruptions.put(pool + "/" + notice.nodeId(), notice);
            decide(pool, null, null);
        } else if (input.action() != null) {
            actGuarded(pool, input.action());
        }
    }

    /**
     * Takes up an operator's action: rejected with the reason when this pool cannot carry it out now, else held
     * (manual size, pause, override, cordon or drain) and decided on at once. A result is published for an action
     * taken up while new; a replay of the compacted topic (a fresh instance) only rebuilds the holds.
     */
    private void actGuarded(String poolKey, OperatorAction action) {
        try {
            act(poolKey, action);
        } catch (RuntimeException e) {
            // One action the scaler cannot take up must not stop the scaling of every pool: it is answered.
            LOG.warn("action {} on {} could not be taken up", action.actionId(), action.key(), e);
            metrics.action(action.kind(), ActionStatus.REJECTED);
            publish(poolKey, ActionResult.rejected(action, "the scaler could not take it up: " + e.getMessage(),
                    settings.clock().instant()));
        }
    }

    private void act(String poolKey, OperatorAction action) {
        Instant now = settings.clock().instant();
        boolean fresh = !action.requestedAt().plus(settings.resultWindow()).isBefore(now);
        Optional<ScaledPool> scaled = scaledPool(poolKey);
        Optional<String> rejection = scaled.isEmpty()
                ? Optional.of("pool " + poolKey + " is not in the registry")
                : OperatorHolds.rejection(action, scaled.get().config(), presentNodeIds(poolKey), now);
        if (rejection.isPresent()) {
            LOG.info("action {} {} on {} rejected: {}", action.actionId(), action.kind(), action.key(), rejection.get());
            metrics.action(action.kind(), ActionStatus.REJECTED);
            if (fresh) {
                publish(poolKey, ActionResult.rejected(action, rejection.get(), now));
            }
            return;
        }
        holds.put(poolKey, currentHolds(poolKey, now).with(action));
        LOG.info("action {} {} on {} by {} applied", action.actionId(), action.kind(), action.key(), action.actor());
        metrics.action(action.kind(), ActionStatus.APPLIED);
        if (fresh) {
            publish(poolKey, ActionResult.applied(action, now));
        }
        decide(poolKey, null, null);
    }

    /**
     * A node that left takes its cordon or drain with it: its slot on the compacted actions topic is deleted (a
     * tombstone), so the scheduler forgets it too and an id that comes back starts clean.
     */
    private void clearNodeSlot(String poolKey, String nodeId) {
        OperatorHolds stored = holds.get(poolKey);
        if (stored == null || !stored.nodes().containsKey(nodeId)) {
            return;
        }
        OperatorAction held = stored.nodes().get(nodeId);
        OperatorHolds kept = stored.retainNodes(stored.nodes().keySet().stream().filter(id -> !id.equals(nodeId))
                .toList());
        holds.put(poolKey, kept);
        context.forward(new Record<>(poolKey, new ClearedSlot(held.key()), settings.clock().instant().toEpochMilli()));
    }

    /** An actions-topic slot to delete: the topology writes a tombstone for {@code key}. */
    record ClearedSlot(String key) {
    }

    private void publish(String poolKey, ActionResult result) {
        RecordHeaders headers = new RecordHeaders();
        // One result per action: a result published again (a replay) has the same id, which the audit drops.
        CloudEventHeaders.write(headers, new CloudEventAttributes(result.action().actionId() + "/result",
                settings.source(), ContractType.ACTION_RESULT.ceType(), result.decidedAt(), result.action().region()));
        AuthContext.user(result.action().actor()).writeTo(headers);
        context.forward(new Record<>(poolKey, result, result.decidedAt().toEpochMilli(), headers));
    }

    /** The pool's holds without those expired by {@code now}; the store forgets the expired ones too. */
    private OperatorHolds currentHolds(String poolKey, Instant now) {
        return currentHolds(poolKey, now, null);
    }

    /** ... and, given the pool's present nodes, without the cordons and drains of nodes that have left. */
    private OperatorHolds currentHolds(String poolKey, Instant now, List<PoolNode> present) {
        OperatorHolds stored = holds.get(poolKey);
        if (stored == null) {
            return OperatorHolds.NONE;
        }
        OperatorHolds current = stored.expiredAt(now);
        if (present != null) {
            current = current.retainNodes(present.stream().map(PoolNode::nodeId).toList());
        }
        if (!current.equals(stored)) {
            if (current.equals(OperatorHolds.NONE)) {
                holds.delete(poolKey);
            } else {
                holds.put(poolKey, current);
            }
        }
        return current;
    }

    private Set<String> presentNodeIds(String poolKey) {
        Set<String> ids = new HashSet<>();
        try (KeyValueIterator<String, NodeEntry> scan = nodes.prefixScan(poolKey + "/", PREFIX)) {
            scan.forEachRemaining(entry -> {
                if (entry.value.node() != null) {
                    ids.add(entry.value.node().nodeId());
                }
            });
        }
        return ids;
    }

    private void remember(String pool, FleetNode node) {
        String key = pool + "/" + node.nodeId();
        if (node.state() == NodeState.LEFT) {
            // The policy forgets drains and interruptions of nodes that are gone; so do the stores.
            nodes.delete(key);
            interruptions.delete(key);
            nextCheck.remove(pool);
            clearNodeSlot(pool, node.nodeId());
        } else {
            nodes.put(key, NodeEntry.withNode(nodes.get(key), node));
        }
    }

    private void remember(String pool, NodeUtilization load) {
        String key = pool + "/" + load.nodeId();
        NodeEntry previous = nodes.get(key);
        NodeEntry next = NodeEntry.withLoad(previous, load);
        if (next != previous) {
            nodes.put(key, next);
        }
    }

    private void onTick() {
        Instant now = settings.clock().instant();
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, PoolScalingState> all = pools.all()) {
            while (all.hasNext()) {
                String pool = all.next().key;
                Instant at = nextCheck.get(pool);
                if (at == null || !at.isAfter(now)) {
                    due.add(pool);
                }
            }
        }
        due.forEach(pool -> decide(pool, null, null));
    }

    /**
     * @param windowOnTopicAt the window record's timestamp, for the reaction metric; null for other decisions
     */
    private void decide(String poolKey, PoolUtilization window, Instant windowOnTopicAt) {
        long started = System.nanoTime();
        Instant now = settings.clock().instant();
        Optional<ScaledPool> scaled = scaledPool(poolKey);
        if (scaled.isEmpty()) {
            nextCheck.put(poolKey, now.plus(settings.tick()));
            return;
        }
        ScaledPool pool = scaled.get();
        String prefix = poolKey + "/";
        List<PoolNode> members = new ArrayList<>();
        try (KeyValueIterator<String, NodeEntry> scan = nodes.prefixScan(prefix, PREFIX)) {
            scan.forEachRemaining(entry -> {
                PoolNode node = entry.value.toPoolNode();
                if (node != null) {
                    members.add(node);
                }
            });
        }
        List<Interruption> notices = new ArrayList<>();
        try (KeyValueIterator<String, Interruption> scan = interruptions.prefixScan(prefix, PREFIX)) {
            scan.forEachRemaining(entry -> notices.add(entry.value));
        }
        PoolScalingState before = Optional.ofNullable(pools.get(poolKey)).orElse(PoolScalingState.INITIAL);

        Outcome outcome = ScalingPolicy.decide(before,
                pool.snapshot(window, members, notices, budgetStatuses(), now, currentHolds(poolKey, now, members)),
                now);

        if (!outcome.state().equals(before)) {
            pools.put(poolKey, outcome.state());
        }
        nextCheck.put(poolKey, outcome.nextCheckAt() == null ? Instant.MAX : outcome.nextCheckAt());
        Instant published = settings.clock().instant();
        for (ScaleCommand command : outcome.commands()) {
            RecordHeaders headers = new RecordHeaders();
            CloudEventHeaders.write(headers, new CloudEventAttributes(command.commandId(), settings.source(),
                    ContractType.of(ScaleCommand.class).ceType(), command.issuedAt(), command.region()));
            context.forward(new Record<>(poolKey, command, published.toEpochMilli(), headers));
            metrics.published(command.action());
            if (windowOnTopicAt != null && window.windowEnd().equals(command.triggerWindowEnd())) {
                metrics.reaction(Duration.between(windowOnTopicAt, published));
            }
            LOG.info("{} {} {} → {}: {}", command.commandId(), command.action(), command.currentNodes(),
                    command.desiredNodes(), command.reason());
        }
        metrics.decision(System.nanoTime() - started);
    }

    private Optional<ScaledPool> scaledPool(String poolKey) {
        int slash = poolKey.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        try {
            Optional<ScaledPool> pool = FleetRules.scaledPool(settings.fleet().get(), poolKey.substring(0, slash),
                    poolKey.substring(slash + 1), settings.base());
            if (pool.isEmpty()) {
                metrics.skipped(ScalerMetrics.Skip.UNKNOWN_POOL);
            }
            return pool;
        } catch (IllegalArgumentException invalid) {
            LOG.warn("pool {} not scaled: {}", poolKey, invalid.getMessage());
            metrics.skipped(ScalerMetrics.Skip.INVALID_POOL_CONFIG);
            return Optional.empty();
        }
    }

    private List<BudgetStatus> budgetStatuses() {
        List<BudgetStatus> statuses = new ArrayList<>();
        try (KeyValueIterator<String, BudgetStatus> all = budgets.all()) {
            all.forEachRemaining((KeyValue<String, BudgetStatus> entry) -> statuses.add(entry.value));
        }
        return statuses;
    }
}
