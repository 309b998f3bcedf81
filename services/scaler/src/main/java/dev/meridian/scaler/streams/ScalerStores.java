package dev.meridian.scaler.streams;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.policy.scaling.OperatorHolds;
import dev.meridian.policy.scaling.PoolScalingState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServiceUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The scaler's stores as the API reads them (this instance's partitions: with several instances a pool lives on the
 * one that owns its partition). Stores can be asked only while the streams thread is RUNNING: else 503.
 */
@ApplicationScoped
public class ScalerStores {

    private static final StringSerializer PREFIX = new StringSerializer();

    private final KafkaStreams streams;
    private final Clock clock = Clock.systemUTC();

    ScalerStores(KafkaStreams streams) {
        this.streams = streams;
    }

    /** The pool's nodes the inventory announced (not LEFT). */
    public List<FleetNode> nodes(String region, String pool) {
        List<FleetNode> nodes = new ArrayList<>();
        ReadOnlyKeyValueStore<String, NodeEntry> store = store(StateStores.SCALER_NODES);
        try (KeyValueIterator<String, NodeEntry> scan = store.prefixScan(region + "/" + pool + "/", PREFIX)) {
            scan.forEachRemaining(entry -> {
                if (entry.value.node() != null) {
                    nodes.add(entry.value.node());
                }
            });
        }
        return nodes;
    }

    public Set<String> nodeIds(String region, String pool) {
        Set<String> ids = new LinkedHashSet<>();
        nodes(region, pool).forEach(node -> ids.add(node.nodeId()));
        return ids;
    }

    /** What operators' actions hold for the pool now ({@link OperatorHolds#NONE} when nothing); ended ones left out. */
    public OperatorHolds holds(String region, String pool) {
        ReadOnlyKeyValueStore<String, OperatorHolds> store = store(StateStores.SCALER_HOLDS);
        return Optional.ofNullable(store.get(region + "/" + pool)).orElse(OperatorHolds.NONE)
                .expiredAt(clock.instant());
    }

    /**
     * True when this instance owns the pool's partition, so its stores hold the pool's nodes and holds. With several
     * instances each owns some pools; the others' stores know nothing of it.
     */
    public boolean owns(String region, String pool) {
        int partitions = TopicCatalog.byName(TopicCatalog.UTILIZATION_POOL).partitions();
        int partition = Utils.toPositive(Utils.murmur2((region + "/" + pool).getBytes(StandardCharsets.UTF_8)))
                % partitions;
        return streams.metadataForLocalThreads().stream().flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .anyMatch(owned -> owned.topic().equals(TopicCatalog.UTILIZATION_POOL) && owned.partition() == partition);
    }

    /** The nodes being drained, by the scaler or an operator. */
    public Set<String> draining(String region, String pool) {
        ReadOnlyKeyValueStore<String, PoolScalingState> store = store(StateStores.SCALER_POOLS);
        Set<String> draining = new LinkedHashSet<>();
        Optional.ofNullable(store.get(region + "/" + pool))
                .ifPresent(state -> state.draining().forEach(node -> draining.add(node.nodeId())));
        return draining;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new ServiceUnavailableException("state store " + name + " is not ready: " + e.getMessage());
        }
    }
}
