package dev.meridian.ingest.streams;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.json.InternalJsonSerde;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.IntakeMetrics;
import dev.meridian.ingest.intake.SampleValidator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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
 * The Kafka door: {@code meridian.metrics.raw.v1} (untrusted bytes from agents and the remote_write door) to
 * {@code meridian.metrics.node.v1} (validated NodeMetrics keyed by node, CloudEvents headers) and
 * {@code meridian.metrics.dlq.v1} (the rejected bytes unchanged, the reason and source offset in headers).
 *
 * <p>Prometheus counter readings ({@code meridian_format=prometheus-node}) become rates here, in the node-keyed
 * stream, so however many ingest replicas received the remote_write requests, one task sees a node's
 * consecutive readings. A poison record is dead-lettered, never thrown: the pipeline does not stop.
 *
 * <p>Keying contract: a raw record keyed by the nodeId it carries and on the partition Kafka's default partitioner
 * gives that key (what any producer does with a key; both topics have {@link Settings#nodePartitions()} partitions)
 * is on the same partition number as the node's samples on metrics.node, so this task is the one that windows the
 * node: the sample is handed to the windowing right here and written to metrics.node with the
 * {@value #WINDOWED_HEADER} header, which tells the windowing's metrics.node source to skip it. Any other valid
 * sample (null or other key, another partitioner) goes to metrics.node unmarked and is windowed when read back from
 * there, as are the HTTP door's samples. Each sample is windowed exactly once, on the task of its node.
 */
public final class RawIntake {

    public static final String SOURCE_NAME = "metrics-ingest-raw-source";
    public static final String PROCESSOR_NAME = "metrics-ingest-raw-intake";
    public static final String NODE_SINK_NAME = "metrics-ingest-raw-to-node";
    public static final String DLQ_SINK_NAME = "metrics-ingest-raw-to-dlq";
    /** Per node: the previous counter reading and the latest per-GPU readings. In memory, changelogged. */
    public static final String COUNTERS_STORE = StateStores.INGEST_COUNTERS;
    /** On a metrics.node record the intake has already windowed; the windowing skips it when reading it back. */
    public static final String WINDOWED_HEADER = "meridian_windowed";
    static final byte[] WINDOWED_HEADER_VALUE = "intake".getBytes(StandardCharsets.UTF_8);

    private static final String BRANCH = "metrics-ingest-raw-";
    private static final String WINDOWED_HERE = "windowed-here";
    private static final String VALID = "valid";
    private static final String INVALID = "invalid";

    /**
     * @param ceSource       CloudEvents {@code ce_source} of the samples written to metrics.node
     * @param gpuMaxAge      per-GPU readings older than this, relative to a counter reading, no longer count
     * @param nodePartitions partition count of metrics.raw and metrics.node (equal, as the topic catalog creates
     *                       them): a keyed raw record on the partition its key maps to is windowed in the intake
     */
    public record Settings(SampleValidator validator, IntakeMetrics metrics, String ceSource, Duration gpuMaxAge,
            int nodePartitions) {

        public Settings {
            if (nodePartitions < 1) {
                throw new IllegalArgumentException("nodePartitions must be at least 1, was " + nodePartitions);
            }
        }

        /** With the partition count of the topic catalog. */
        public Settings(SampleValidator validator, IntakeMetrics metrics, String ceSource, Duration gpuMaxAge) {
            this(validator, metrics, ceSource, gpuMaxAge, TopicCatalog.byName(TopicCatalog.METRICS_NODE).partitions());
        }

        public static Settings from(IngestConfig config, SampleValidator validator, IntakeMetrics metrics) {
            return new Settings(validator, metrics, config.intake().source(), config.intake().gpuMaxAge());
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
                .branch((key, value) -> value instanceof Routed.ToNode, Branched.as(VALID))
                .defaultBranch(Branched.as(INVALID));
        KStream<String, NodeMetric> windowedHere = keyedByNode(routed.get(BRANCH + WINDOWED_HERE), WINDOWED_HERE);
        windowedHere.to(TopicCatalog.METRICS_NODE, Produced.with(Serdes.String(), ContractSerdes.nodeMetric())
                .withName(NODE_SINK_NAME + "-" + WINDOWED_HERE));
        keyedByNode(routed.get(BRANCH + VALID), VALID).to(TopicCatalog.METRICS_NODE,
                Produced.with(Serdes.String(), ContractSerdes.nodeMetric()).withName(NODE_SINK_NAME));
        routed.get(BRANCH + INVALID)
                .mapValues(value -> ((Routed.ToDeadLetter) value).value(), Named.as(BRANCH + "original-bytes"))
                .to(TopicCatalog.METRICS_DLQ, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(DLQ_SINK_NAME));
        return windowedHere;
    }

    private static KStream<String, NodeMetric> keyedByNode(KStream<byte[], Routed> samples, String branch) {
        return samples.map((key, value) -> {
            NodeMetric metric = ((Routed.ToNode) value).metric();
            return KeyValue.pair(metric.nodeId(), metric);
        }, Named.as(BRANCH + branch + "-keyed-by-node"));
    }

    /** Where the processor sends a record: downstream as a sample, or to the DLQ as the bytes received. */
    sealed interface Routed permits Routed.ToNode, Routed.ToDeadLetter {

        /** @param windowedHere whether this task windows the sample (see the keying contract above) */
        record ToNode(NodeMetric metric, boolean windowedHere) implements Routed {
        }

        record ToDeadLetter(byte[] value) implements Routed {
        }
    }
}
