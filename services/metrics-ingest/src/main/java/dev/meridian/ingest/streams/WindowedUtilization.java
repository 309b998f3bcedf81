package dev.meridian.ingest.streams;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.json.InternalJsonSerde;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.policy.window.PoolWindowAggregate;
import dev.meridian.policy.window.TumblingWindows;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Samples → node windows ({@code utilization.node}), observed inventory
 * ({@code fleet.nodes}) → pool windows ({@code utilization.pool}); a sample naming a node the inventory knows in
 * another region → {@code metrics.dlq} (see {@link NodeWindowProcessor}).
 *
 * <p>The samples are those {@link RawIntake} hands over on the same task: every door's, each on the task of its node
 * (the keying contract), so a node's samples meet on one task whichever door they came through.
 *
 * <p>All stores are in-memory with changelogs: they hold only open windows, the latest result and one inventory
 * entry per node (a few MB at 5 regions × 1,000 nodes), and are restored from their changelogs on restart.
 */
public final class WindowedUtilization {

    /** Name of the internal topic that carries node results and inventory changes to their pool's task. */
    public static final String POOL_REPARTITION = "pool-input";
    /** Sink of the samples the node stage refused (a node of another region) on {@code meridian.metrics.dlq.v1}. */
    public static final String REFUSED_TO_DLQ_SINK_NAME = "metrics-ingest-windowing-to-dlq";

    private static final Serde<String> KEYS = Serdes.String();
    /** Each task windows the nodes of one raw partition (the keying contract of {@link RawIntake}). */
    private static final int RAW_PARTITIONS = TopicCatalog.byName(TopicCatalog.METRICS_RAW).partitions();

    private WindowedUtilization() {
    }

    /** @param windowedInIntake the samples {@link RawIntake#addTo} hands over, keyed by node */
    public static void addTo(StreamsBuilder builder, TopologySettings settings, WindowMetrics metrics,
            KStream<String, NodeMetric> windowedInIntake) {
        TumblingWindows windows = settings.windows();
        // Open windows change on every sample: each window dirtied since the last commit is serialized and logged
        // once, at the commit, and not at all in between.
        builder.addStateStore(CommitBufferedStore.builder(StateStores.INGEST_NODE_WINDOWS,
                NodeWindowAggregateSerde.create()));
        builder.addStateStore(store(StateStores.INGEST_INVENTORY, ContractSerdes.fleetNode()));
        builder.addStateStore(store(StateStores.INGEST_NODE_LATEST, ContractSerdes.nodeUtilization()));
        builder.addStateStore(store(StateStores.INGEST_POOL_WINDOWS, InternalJsonSerde.of(PoolWindowAggregate.class))
                .withCachingEnabled());
        builder.addStateStore(store(StateStores.INGEST_POOL_MEMBERS, ContractSerdes.fleetNode()));
        builder.addStateStore(store(StateStores.INGEST_POOL_LATEST, ContractSerdes.poolUtilization()));

        KStream<String, NodeEvent> nodeEvents = windowedInIntake
                .process(() -> new NodeWindowProcessor(windows, settings.liveness(), settings.emitInterval(), metrics,
                                settings.nodesPerRegionPerTask(RAW_PARTITIONS), settings.nodesPerTask(RAW_PARTITIONS)),
                        Named.as("node-windows"), StateStores.INGEST_NODE_WINDOWS, StateStores.INGEST_INVENTORY,
                        StateStores.INGEST_NODE_LATEST);

        nodeEvents.filter((node, event) -> event.refused() != null, Named.as("refused-samples"))
                .mapValues(NodeEvent::refused, Named.as("refused-sample-values"))
                .to(TopicCatalog.METRICS_DLQ, Produced.with(KEYS, ContractSerdes.nodeMetric())
                        .withName(REFUSED_TO_DLQ_SINK_NAME));
        nodeEvents.filter((node, event) -> event.utilization() != null, Named.as("node-results"))
                .mapValues(NodeEvent::utilization, Named.as("node-result-values"))
                .to(TopicCatalog.UTILIZATION_NODE, Produced.with(KEYS, ContractSerdes.nodeUtilization()));
        nodeEvents.filter((node, event) -> event.inventory() != null, Named.as("inventory-changes"))
                .mapValues(NodeEvent::inventory, Named.as("inventory-values"))
                .to(TopicCatalog.FLEET_NODES, Produced.with(KEYS, ContractSerdes.fleetNode()));

        nodeEvents.filter((node, event) -> event.refused() == null, Named.as("pool-events"))
                .selectKey((node, event) -> event.poolKey(), Named.as("by-pool"))
                .repartition(Repartitioned.<String, NodeEvent>as(POOL_REPARTITION)
                        .withKeySerde(KEYS).withValueSerde(InternalJsonSerde.of(NodeEvent.class)))
                .process(() -> new PoolWindowProcessor(windows, settings.poolSettle(), settings.emitInterval(), metrics),
                        Named.as("pool-windows"), StateStores.INGEST_POOL_WINDOWS, StateStores.INGEST_POOL_MEMBERS,
                        StateStores.INGEST_POOL_LATEST)
                .to(TopicCatalog.UTILIZATION_POOL, Produced.with(KEYS, ContractSerdes.poolUtilization()));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), KEYS, values);
    }
}
