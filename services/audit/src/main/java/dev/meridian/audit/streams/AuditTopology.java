package dev.meridian.audit.streams;

import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.chain.Operation;
import dev.meridian.audit.chain.OperationMapper;
import dev.meridian.audit.chain.PendingTx;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.json.InternalJsonSerde;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The chainer: operation topics → {@link OperationProcessor} → repartition by region → {@link ChainProcessor} →
 * {@code meridian.audit.log.v1}. Run with {@code processing.guarantee=exactly_once_v2}.
 */
public final class AuditTopology {

    /** Name of the repartition step; its topic is {@code <application.id>-audit-operations-repartition}. */
    public static final String REPARTITION = "audit-operations";

    private AuditTopology() {
    }

    /**
     * @param topics           operation topics to read (the registry's {@code fleet.config.*} included)
     * @param digestInterval   how often (wall clock) a region that grew gets a signed digest
     * @param dedupeWindow     how long an operation id is remembered to drop a redelivered event
     * @param attributionTimeout how long a registry delete waits for its transaction's actor
     * @param partitions       partitions of the repartition topic: the audit log's, so a chain never moves
     */
    public record Settings(List<String> topics, String homeRegion, String source, DigestSigner signer,
            Duration digestInterval, Duration dedupeWindow, Duration attributionTimeout, int partitions) {

        public Settings {
            topics = List.copyOf(topics);
            Objects.requireNonNull(homeRegion, "homeRegion");
            Objects.requireNonNull(signer, "signer");
        }
    }

    public static Topology build(Settings settings, ChainMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.AUDIT_BUDGET_STATES),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.AUDIT_REGISTRY_TX),
                Serdes.String(), InternalJsonSerde.of(PendingTx.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.AUDIT_CHAIN),
                Serdes.String(), InternalJsonSerde.of(ChainHead.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StateStores.AUDIT_SEEN),
                Serdes.String(), Serdes.Long()));

        OperationMapper mapper = new OperationMapper(settings.homeRegion());
        builder.stream(settings.topics(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("operations"))
                .process(() -> new OperationProcessor(mapper, metrics, settings.attributionTimeout()),
                        Named.as("normalise"), StateStores.AUDIT_BUDGET_STATES, StateStores.AUDIT_REGISTRY_TX)
                .repartition(Repartitioned.<String, Operation>as(REPARTITION)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalJsonSerde.of(Operation.class))
                        .withNumberOfPartitions(settings.partitions()))
                .process(() -> new ChainProcessor(settings, metrics), Named.as("chain"), StateStores.AUDIT_CHAIN,
                        StateStores.AUDIT_SEEN)
                .to(TopicCatalog.AUDIT_LOG, Produced.with(Serdes.String(), ContractSerdes.of(AuditRecord.class))
                        .withName("audit-log"));
        return builder.build();
    }
}
