package dev.meridian.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.intake.Samples;
import dev.meridian.ingest.metrics.MicrometerIntakeMetrics;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open windows' store against a real broker, exactly-once: a window changed by every sample reaches the
 * changelog once per commit, in the commit's transaction, and a new instance with no local state rebuilds it from
 * there and emits it with every sample counted.
 */
class CommitBufferedStoreIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    private static final int NODES = 50;
    private static final int SAMPLES_PER_NODE = 40;
    // The window stays open for 40–50 s after the samples are sent (see below): long enough for one instance to
    // take them in and stop and another to start from nothing, short enough to wait for.
    private static final TumblingWindows WINDOWS = new TumblingWindows(Duration.ofSeconds(10), Duration.ofSeconds(45));

    @TempDir
    Path stateDirs;

    @Test
    void aWindowChangedByEverySampleIsLoggedOncePerCommitAndRestoredWithEverySampleCounted() throws Exception {
        String applicationId = "commit-buffered-" + UUID.randomUUID();
        Instant windowStart = WINDOWS.startOf(Instant.now().minusSeconds(5));
        Instant closesAt = WINDOWS.closesAt(windowStart);
        send(windowStart);

        KafkaStreams first = start(applicationId, stateDirs.resolve("first"));
        try {
            // No commit is due (the interval is 5 minutes, no window closes): every sample is folded in memory.
            await("every sample processed").atMost(Duration.ofSeconds(30))
                    .until(() -> processed(first) >= NODES * SAMPLES_PER_NODE);
        } finally {
            // A clean close commits: the pending windows go to the changelog in that transaction.
            first.close(Duration.ofSeconds(30));
        }
        List<ConsumerRecord<String, byte[]>> logged = readCommitted(applicationId + "-"
                + StateStores.INGEST_NODE_WINDOWS + "-changelog", NODES);
        assertThat(logged).as("one changelog record per open window for %d samples in one commit",
                NODES * SAMPLES_PER_NODE).hasSize(NODES);
        assertThat(logged).extracting(ConsumerRecord::key).doesNotHaveDuplicates();

        KafkaStreams second = start(applicationId, stateDirs.resolve("second"));
        try {
            assertThat(Instant.now()).as("the second instance started before the window closed").isBefore(closesAt);
            Map<String, NodeUtilization> emitted = new HashMap<>();
            try (KafkaConsumer<String, byte[]> results = consumer()) {
                results.subscribe(List.of(TopicCatalog.UTILIZATION_NODE));
                await("the restored windows emitted").atMost(Duration.between(Instant.now(), closesAt).plusSeconds(30))
                        .until(() -> {
                            for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(200))) {
                                NodeUtilization window = ContractSerdes.nodeUtilization().deserializer()
                                        .deserialize(record.topic(), record.value());
                                emitted.put(window.nodeId(), window);
                            }
                            return emitted.size() == NODES;
                        });
            }
            assertThat(emitted.values()).allSatisfy(window -> {
                assertThat(window.windowStart()).isEqualTo(windowStart);
                assertThat(window.sampleCount()).as(window.nodeId()).isEqualTo(SAMPLES_PER_NODE);
            });
        } finally {
            second.close(Duration.ofSeconds(30));
        }
    }

    /** {@link #SAMPLES_PER_NODE} samples per node, 100 ms apart from the window's start, keyed by node. */
    private static void send(Instant windowStart) throws Exception {
        Map<String, Object> config = new HashMap<>(KAFKA.cluster().adminConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // The catalog topics were just created, and the broker may still answer NOT_LEADER to the first batches
        // while metadata already names it: the idempotent producer then loops on out-of-order sequences for
        // minutes. One batch in flight per partition retries in order instead.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (int sample = 0; sample < SAMPLES_PER_NODE; sample++) {
                for (int node = 0; node < NODES; node++) {
                    String nodeId = "nd-commit-" + node;
                    producer.send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, nodeId,
                            Samples.bytes(Samples.valid(nodeId, windowStart.plusMillis(100L * sample)))));
                }
            }
            producer.flush();
        }
    }

    private static KafkaStreams start(String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.cluster().bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // No commit falls due during the test; a transaction may stay open that long.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Duration.ofMinutes(5).toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) Duration.ofMinutes(6).toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Streams does not leave the group on close (a non-static member): the second instance gets the partitions
        // once the first one's session has timed out, the broker's minimum rather than the default 45 s.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_500);
        TopologySettings settings = new TopologySettings(WINDOWS, new NodeLiveness(WINDOWS, 3, Duration.ofHours(1)),
                Duration.ofMillis(200), Duration.ofMillis(500));
        RawIntake.Settings intake = new RawIntake.Settings(new SampleValidator(Clock.systemUTC(), Duration.ofSeconds(5)),
                new MicrometerIntakeMetrics(new SimpleMeterRegistry()), "/test", Duration.ofMinutes(2));
        KafkaStreams streams = new KafkaStreams(IngestTopology.build(intake, settings, WindowMetrics.NONE), props);
        streams.start();
        await("RUNNING").atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    /** Records the stream thread has processed: under exactly-once, raw samples only until the first commit. */
    private static double processed(KafkaStreams streams) {
        return streams.metrics().values().stream()
                .filter(m -> m.metricName().group().equals("stream-thread-metrics")
                        && m.metricName().name().equals("process-total"))
                .map(Metric::metricValue).mapToDouble(value -> ((Number) value).doubleValue()).sum();
    }

    private static List<ConsumerRecord<String, byte[]>> readCommitted(String topic, int atLeast) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            await(topic).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= atLeast;
            });
            // Anything written beyond: one more poll would see it.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(KAFKA.cluster().adminConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }
}
