package dev.meridian.ingest.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.json.InternalJsonSerde;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.IntakeMetrics;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.intake.ValidatedBy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The intake of {@code meridian.metrics.raw.v1} — every door's samples: agents' untrusted bytes, and what the HTTP and
 * remote_write doors validated already (marked {@link ValidatedBy}) — to the windowing of this task, and to
 * {@code meridian.metrics.dlq.v1} (the rejected bytes unchanged, the reason, door and source offset in headers).
 *
 * <p>One pass per sample: parsed once, checked once (not at all here when a door checked it), windowed once; nothing
 * is written to another topic to be read back. Prometheus counter readings ({@code meridian_format=prometheus-node})
 * become rates here, in the node-keyed stream, so however many ingest replicas received the remote_write requests,
 * one task sees a node's consecutive readings. A poison record is dead-lettered, never thrown: the pipeline does not
 * stop.
 *
 * <p>Keying contract: a sample is windowed by the task of the raw partition Kafka's default partitioner gives its
 * nodeId (what every door of ours and any keyed producer does). A valid sample found elsewhere (null or another key,
 * another partitioner) is written back to the raw topic keyed by its node and marked validated by
 * {@link Door#KAFKA}: it is windowed, parsed only, on its node's task. {@code meridian.metrics.node.v1} is an opt-in
 * tap ({@link Settings#nodeTopicTap()}): the validated samples with CloudEvents headers, for operators who want them.
 */
public final class RawIntake {

    public static final String SOURCE_NAME = "metrics-ingest-raw-source";
    public static final String PROCESSOR_NAME = "metrics-ingest-raw-intake";
    public static final String NODE_SINK_NAME = "metrics-ingest-raw-to-node";
    public static final String REKEY_SINK_NAME = "metrics-ingest-raw-sink-to-its-node";
    public static final String DLQ_SINK_NAME = "metrics-ingest-raw-to-dlq";
    /** Per node: the previous counter reading and the latest per-GPU readings. In memory, changelogged. */
    public static final String COUNTERS_STORE = StateStores.INGEST_COUNTERS;

    private static final String BRANCH = "metrics-ingest-raw-";
    private static final String WINDOWED_HERE = "windowed-here";
    private static final String TO_ITS_NODE = "to-its-node";
    private static final String INVALID = "invalid";

    /**
     * @param ceSource        CloudEvents {@code ce_source} of the samples written to the metrics.node tap
     * @param gpuMaxAge       per-GPU readings older than this, relative to a counter reading, no longer count
     * @param nodePartitions  partition count of metrics.raw: a keyed raw record on the partition its key maps to is
     *                        windowed here
     * @param nodeTopicTap    whether the validated samples are also written to {@code meridian.metrics.node.v1}
     * @param countersForgotten a node's counter readings are dropped once its newest is this old by the wall clock
     *                        (the inventory's LEFT timeout: the node is gone, its state with it)
     */
    public record Settings(SampleValidator validator, IntakeMetrics metrics, String ceSource, Duration gpuMaxAge,
            int nodePartitions, boolean nodeTopicTap, Duration countersForgotten) {

        /** The inventory's default LEFT timeout. */
        public static final Duration DEFAULT_COUNTERS_FORGOTTEN = Duration.ofMinutes(5);

        public Settings {
            if (nodePartitions < 1) {
                throw new IllegalArgumentException("nodePartitions must be at least 1, was " + nodePartitions);
            }
            if (countersForgotten.isNegative() || countersForgotten.isZero()) {
                throw new IllegalArgumentException("countersForgotten must be positive, was " + countersForgotten);
            }
        }

        /** Without the tap, counters forgotten after the default LEFT timeout. */
        public Settings(SampleValidator validator, IntakeMetrics metrics, String ceSource, Duration gpuMaxAge,
                int nodePartitions) {
            this(validator, metrics, ceSource, gpuMaxAge, nodePartitions, false, DEFAULT_COUNTERS_FORGOTTEN);
        }

        /** With the partition count of the topic catalog, without the tap. */
        public Settings(SampleValidator validator, IntakeMetrics metrics, String ceSource, Duration gpuMaxAge) {
            this(validator, metrics, ceSource, gpuMaxAge, TopicCatalog.byName(TopicCatalog.METRICS_RAW).partitions());
        }

        public static Settings from(IngestConfig config, SampleValidator validator, IntakeMetrics metrics) {
            return new Settings(validator, metrics, config.intake().source(), config.intake().gpuMaxAge(),
                    TopicCatalog.byName(TopicCatalog.METRICS_RAW).partitions(), config.intake().nodeTopicTap(),
                    config.inventory().leftAfter());
        }

        /** These settings with the metrics.node tap on or off. */
        public Settings withNodeTopicTap(boolean tap) {
            return new Settings(validator, metrics, ceSource, gpuMaxAge, nodePartitions, tap, countersForgotten);
        }
    }

    private RawIntake() {
    }

    /**
     * Adds the intake to {@code builder}.
     *
     * @return the valid samples this task windows itself (keyed by nodeId), for {@link WindowedUtilization}
     */
    public static KStream<String, NodeMetric> addTo(StreamsBuilder builder, Settings settings) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COUNTERS_STORE),
                Serdes.String(), InternalJsonSerde.of(CounterState.class)));
        Map<String, KStream<byte[], Routed>> routed = builder
                .stream(TopicCatalog.METRICS_RAW, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE_NAME))
                .process(() -> new RawIntakeProcessor(settings), Named.as(PROCESSOR_NAME), COUNTERS_STORE)
                .split(Named.as(BRANCH))
                .branch((key, value) -> value instanceof Routed.ToNode sample && sample.windowedHere(),
                        Branched.as(WINDOWED_HERE))
                .branch((key, value) -> value instanceof Routed.ToNode, Branched.as(TO_ITS_NODE))
                .defaultBranch(Branched.as(INVALID));
        KStream<String, NodeMetric> windowedHere = routed.get(BRANCH + WINDOWED_HERE).map((key, value) -> {
            NodeMetric metric = ((Routed.ToNode) value).metric();
            return KeyValue.pair(metric.nodeId(), metric);
        }, Named.as(BRANCH + WINDOWED_HERE + "-keyed-by-node"));
        if (settings.nodeTopicTap()) {
            windowedHere.to(TopicCatalog.METRICS_NODE, Produced.with(Serdes.String(), CHECKED_ALREADY)
                    .withName(NODE_SINK_NAME));
        }
        routed.get(BRANCH + TO_ITS_NODE).map((key, value) -> {
            NodeMetric metric = ((Routed.ToNode) value).metric();
            return KeyValue.pair(metric.nodeId().getBytes(StandardCharsets.UTF_8), CHECKED_ALREADY.serializer()
                    .serialize(TopicCatalog.METRICS_RAW, metric));
        }, Named.as(BRANCH + TO_ITS_NODE + "-keyed-by-node")).to(TopicCatalog.METRICS_RAW,
                Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(REKEY_SINK_NAME));
        routed.get(BRANCH + INVALID)
                .mapValues(value -> ((Routed.ToDeadLetter) value).value(), Named.as(BRANCH + "original-bytes"))
                .to(TopicCatalog.METRICS_DLQ, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(DLQ_SINK_NAME));
        return windowedHere;
    }

    /** A sample this intake checked: written as JSON without checking it again. */
    private static final Serde<NodeMetric> CHECKED_ALREADY = Serdes.serdeFrom((topic, metric) -> {
        try {
            return ContractJson.mapper().writeValueAsBytes(metric);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a NodeMetric", e);
        }
    }, (topic, bytes) -> ContractJson.readUnchecked(bytes, NodeMetric.class));

    /** Where the processor sends a record: downstream as a sample, or to the DLQ as the bytes received. */
    sealed interface Routed permits Routed.ToNode, Routed.ToDeadLetter {

        /** @param windowedHere whether this task windows the sample, else it goes to its node's (the keying contract) */
        record ToNode(NodeMetric metric, boolean windowedHere) implements Routed {
        }

        record ToDeadLetter(byte[] value) implements Routed {
        }
    }
}
