package dev.meridian.cost.streams;

import dev.meridian.registry.config.FleetView;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.json.InternalJsonSerde;
import dev.meridian.contracts.topic.Mirrors;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.policy.cost.NodeMeter;
import dev.meridian.policy.cost.SpendBucket;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The cost topology. Accrual: inventory, node windows and scale commands of the home regions, repartitioned by
 * region, priced by one ledger per region → {@code meridian.cost.spend.v1}. Budgets: that topic and every mirrored
 * {@code <alias>.meridian.cost.spend.v1} (pattern subscription: mirrors appearing later are picked up), funnelled to
 * one task → {@code meridian.cost.budget-status.v1} and {@code meridian.cost.alerts.v1}.
 */
public final class CostTopology {

    /** Our spend topic and its mirrors, {@code <source alias>.meridian.cost.spend.v1}. */
    public static final Pattern SPEND_TOPICS = Mirrors.ofTopic(TopicCatalog.COST_SPEND);
    /** The one key of the budget input: every aggregate must meet every budget. */
    static final String BUDGETS_KEY = "budgets";

    private CostTopology() {
    }

    /** Built here for the service, the TopologyTestDriver tests, the ITs and the benchmark alike. */
    public static Topology build(CostSettings settings, FleetView registry, CostMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> keys = Serdes.String();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.COST_METERS), keys,
                InternalJsonSerde.of(NodeMeter.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.COST_OPEN_BUCKETS),
                keys, InternalJsonSerde.of(SpendBucket.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.COST_LEDGERS), keys,
                InternalJsonSerde.of(LedgerMeta.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.COST_EFFICIENCY),
                keys, InternalJsonSerde.of(EfficiencyLine.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.COST_SPEND_LINES),
                keys, ContractSerdes.spendAggregate()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.COST_BUDGET_STATUS),
                keys, ContractSerdes.budgetStatus()));

        KStream<String, CostInput> nodes = builder.stream(TopicCatalog.FLEET_NODES,
                        Consumed.with(keys, ContractSerdes.fleetNode()).withName("cost-fleet-nodes"))
                .filter((k, v) -> v != null && settings.homeRegions().contains(v.region()))
                .map((k, v) -> KeyValue.pair(v.region(), CostInput.of(v)), Named.as("cost-nodes-by-region"));
        KStream<String, CostInput> windows = builder.stream(TopicCatalog.UTILIZATION_NODE,
                        Consumed.with(keys, ContractSerdes.nodeUtilization()).withName("cost-node-windows"))
                .filter((k, v) -> v != null && settings.homeRegions().contains(v.region()))
                .map((k, v) -> KeyValue.pair(v.region(), CostInput.of(v)), Named.as("cost-windows-by-region"));
        KStream<String, CostInput> commands = builder.stream(TopicCatalog.SCALING_COMMANDS,
                        Consumed.with(keys, ContractSerdes.scaleCommand()).withName("cost-scale-commands"))
                .filter((k, v) -> v != null && settings.homeRegions().contains(v.region()))
                .map((k, v) -> KeyValue.pair(v.region(), CostInput.of(v)), Named.as("cost-commands-by-region"));

        nodes.merge(windows, Named.as("cost-merge-windows")).merge(commands, Named.as("cost-merge-commands"))
                .repartition(Repartitioned.<String, CostInput>as(CostStores.ACCRUAL_INPUT)
                        .withKeySerde(keys).withValueSerde(InternalJsonSerde.of(CostInput.class))
                        .withNumberOfPartitions(settings.accrualPartitions()))
                .process(() -> new AccrualProcessor(settings, registry, metrics), Named.as("cost-accrual"),
                        StateStores.COST_METERS, StateStores.COST_OPEN_BUCKETS, StateStores.COST_LEDGERS, StateStores.COST_EFFICIENCY)
                .to(TopicCatalog.COST_SPEND, Produced.with(keys, ContractSerdes.spendAggregate())
                        .withName("cost-spend-out"));

        builder.stream(SPEND_TOPICS, Consumed.with(keys, ContractSerdes.spendAggregate()).withName("cost-spend-in"))
                .filter((k, v) -> v != null)
                .selectKey((k, v) -> BUDGETS_KEY, Named.as("cost-spend-to-budgets"))
                .repartition(Repartitioned.<String, SpendAggregate>as(CostStores.BUDGET_INPUT)
                        .withKeySerde(keys).withValueSerde(ContractSerdes.spendAggregate()).withNumberOfPartitions(1))
                .process(() -> new BudgetProcessor(settings, registry, metrics), Named.as("cost-budgets"),
                        StateStores.COST_SPEND_LINES, StateStores.COST_BUDGET_STATUS)
                .split(Named.as("cost-budget-"))
                .branch((k, v) -> v instanceof BudgetStatus, Branched.<String, Validated>withConsumer(s -> s
                        .mapValues(v -> (BudgetStatus) v, Named.as("cost-as-status"))
                        .to(TopicCatalog.COST_BUDGET_STATUS, Produced.with(keys, ContractSerdes.budgetStatus())
                                .withName("cost-status-out"))).withName("status"))
                .branch((k, v) -> v instanceof BudgetAlert, Branched.<String, Validated>withConsumer(s -> s
                        .mapValues(v -> (BudgetAlert) v, Named.as("cost-as-alert"))
                        .to(TopicCatalog.COST_ALERTS, Produced.with(keys, ContractSerdes.budgetAlert())
                                .withName("cost-alert-out"))).withName("alert"));
        return builder.build();
    }
}
