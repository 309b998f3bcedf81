package dev.meridian.scaler.streams;

import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.json.InternalJsonSerde;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.policy.scaling.OperatorHolds;
import dev.meridian.policy.scaling.PoolScalingState;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.FleetSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The scaler: pool windows (keyed {@code region/pool}) and the node-keyed inventory, node windows and interruption
 * notices re-keyed to their pool, into one processor per pool partition that runs {@code ScalingPolicy} and
 * publishes to {@code meridian.scaling.commands.v1}. Its state (per pool: sustain counts, cooldown, pending
 * requests, drains; per node: inventory and load) lives in changelogged stores, and with exactly-once processing a
 * decision's state and its commands commit together: after a crash nothing is lost and nothing is emitted twice.
 */
public final class ScalerTopology {

    static final String POOL_INPUTS = "pool-inputs";

    private ScalerTopology() {
    }

    /**
     * @param fleet        the registry view, read at each decision (pools, ladders, criticality, overrides)
     * @param base         the policy defaults with the service-wide knobs; each pool's overrides come on top
     * @param homeRegions  regions whose pools are scaled here
     * @param tick         wall-clock interval of time-driven decisions
     * @param source       ce_source of the published commands
     * @param resultWindow an action older than this when taken up (a replay) sets its holds but publishes no result
     */
    public record Settings(Supplier<FleetSnapshot> fleet, ScalingSettings base, Set<String> homeRegions,
            Duration tick, String source, Clock clock, Duration resultWindow) {

        public Settings {
            Objects.requireNonNull(fleet, "fleet");
            Objects.requireNonNull(base, "base");
            homeRegions = Set.copyOf(homeRegions);
            Objects.requireNonNull(tick, "tick");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(resultWindow, "resultWindow");
        }

        /** With the default replay window of operators' actions: a day. */
        public Settings(Supplier<FleetSnapshot> fleet, ScalingSettings base, Set<String> homeRegions, Duration tick,
                String source, Clock clock) {
            this(fleet, base, homeRegions, tick, source, clock, Duration.ofHours(24));
        }
    }

    /** Built here for the service, the benchmark and the TopologyTestDriver tests alike. */
    public static Topology build(Settings settings, ScalerMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> keys = Serdes.String();
        Serde<ScalerInput> inputs = InternalJsonSerde.of(ScalerInput.class);

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StateStores.SCALER_POOLS),
                keys, InternalJsonSerde.of(PoolScalingState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StateStores.SCALER_NODES),
                keys, InternalJsonSerde.of(NodeEntry.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StateStores.SCALER_INTERRUPTIONS), keys, ContractSerdes.interruption()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StateStores.SCALER_HOLDS),
                keys, InternalJsonSerde.of(OperatorHolds.class)));
        // Budget status is small and read by every pool: a global store, not a changelogged one (its topic is
        // compacted, so it is its own changelog).
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(StateStores.SCALER_BUDGETS), keys, ContractSerdes.budgetStatus())
                        .withLoggingDisabled(),
                TopicCatalog.COST_BUDGET_STATUS, Consumed.with(keys, ContractSerdes.budgetStatus()),
                BudgetStatusUpdater::new);

        Set<String> home = settings.homeRegions();
        KStream<String, ScalerInput> windows = builder
                .stream(TopicCatalog.UTILIZATION_POOL, Consumed.with(keys, ContractSerdes.poolUtilization()))
                .filter((key, window) -> window != null && home.contains(window.region()))
                .mapValues(ScalerInput::of);
        KStream<String, ScalerInput> inventory = builder
                .stream(TopicCatalog.FLEET_NODES, Consumed.with(keys, ContractSerdes.fleetNode()))
                .filter((key, node) -> node != null && home.contains(node.region()))
                .map((key, node) -> KeyValue.pair(poolKey(node), ScalerInput.of(node)));
        KStream<String, ScalerInput> loads = builder
                .stream(TopicCatalog.UTILIZATION_NODE, Consumed.with(keys, ContractSerdes.nodeUtilization()))
                .filter((key, load) -> load != null && home.contains(load.region()))
                .map((key, load) -> KeyValue.pair(poolKey(load), ScalerInput.of(load)));
        KStream<String, ScalerInput> notices = builder
                .stream(TopicCatalog.FLEET_INTERRUPTIONS, Consumed.with(keys, ContractSerdes.interruption()))
                .filter((key, notice) -> notice != null && home.contains(notice.region()))
                .map((key, notice) -> KeyValue.pair(poolKey(notice),
                        ScalerInput.of(notice)));
        KStream<String, ScalerInput> actions = builder
                .stream(TopicCatalog.OPERATOR_ACTIONS, Consumed.with(keys, ContractSerdes.operatorAction()))
                .filter((key, action) -> action != null && home.contains(action.region()))
                .map((key, action) -> KeyValue.pair(action.region() + "/" + action.pool(), ScalerInput.of(action)));
        // Same partition count and key bytes as the pool windows' topic: task n owns pool partition n of both.
        KStream<String, ScalerInput> byPool = inventory.merge(loads).merge(notices).merge(actions)
                .repartition(Repartitioned.<String, ScalerInput>as(POOL_INPUTS).withKeySerde(keys)
                        .withValueSerde(inputs)
                        .withNumberOfPartitions(TopicCatalog.byName(TopicCatalog.UTILIZATION_POOL).partitions()));

        KStream<String, Object> decided = windows.merge(byPool)
                .process(() -> new ScalingProcessor(settings, metrics), StateStores.SCALER_POOLS, StateStores.SCALER_NODES,
                        StateStores.SCALER_INTERRUPTIONS, StateStores.SCALER_HOLDS);
        decided.filter((pool, out) -> out instanceof ScaleCommand).mapValues(out -> (ScaleCommand) out)
                .to(TopicCatalog.SCALING_COMMANDS, Produced.with(keys, ContractSerdes.scaleCommand()));
        // Keyed by the action's id, as GET /v1/actions/{id} looks a result up; the record's pool key goes.
        decided.filter((pool, out) -> out instanceof ActionResult).mapValues(out -> (ActionResult) out)
                .selectKey((pool, result) -> result.action().actionId())
                .to(TopicCatalog.OPERATOR_ACTION_RESULTS, Produced.with(keys, ContractSerdes.actionResult()));
        decided.filter((pool, out) -> out instanceof ScalingProcessor.ClearedSlot)
                .map((pool, out) -> KeyValue.pair(((ScalingProcessor.ClearedSlot) out).key(), (OperatorAction) null))
                .to(TopicCatalog.OPERATOR_ACTIONS, Produced.with(keys, ContractSerdes.operatorAction()));
        return builder.build();
    }

    static String poolKey(FleetNode node) {
        return node.region() + "/" + node.pool();
    }

    static String poolKey(NodeUtilization load) {
        return load.region() + "/" + load.pool();
    }

    static String poolKey(Interruption notice) {
        return notice.region() + "/" + notice.pool();
    }

    /** Keeps the latest status per scope; a tombstone removes the scope. */
    private static final class BudgetStatusUpdater implements Processor<String, BudgetStatus, Void, Void> {

        private KeyValueStore<String, BudgetStatus> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(StateStores.SCALER_BUDGETS);
        }

        @Override
        public void process(Record<String, BudgetStatus> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
