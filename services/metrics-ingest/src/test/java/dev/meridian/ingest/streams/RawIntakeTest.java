package dev.meridian.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.DeadLetterHeaders;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.RawFormat;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.intake.Samples;
import dev.meridian.ingest.metrics.MicrometerIntakeMetrics;
import dev.meridian.ingest.remotewrite.NodeSeriesSample;
import dev.meridian.ingest.remotewrite.NodeSeriesSample.GpuReading;
import dev.meridian.ingest.remotewrite.NodeSeriesSample.NodeCounters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RawIntakeTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration COUNTERS_FORGOTTEN = Duration.ofMinutes(5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerIntakeMetrics metrics = new MicrometerIntakeMetrics(registry);
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> raw;
    private TestOutputTopic<String, byte[]> node;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        RawIntake.addTo(builder, new RawIntake.Settings(
                new SampleValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(5)), metrics,
                // One partition, as the driver has: every keyed sample is on its node's partition, nothing moves, and
                // the source offsets below are the records piped here (IntakeWindowingTest covers the moves).
                "/meridian/metrics-ingest/test", Duration.ofMinutes(2), 1, true, COUNTERS_FORGOTTEN));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "raw-intake-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props, NOW);
        raw = driver.createInputTopic(TopicCatalog.METRICS_RAW, new ByteArraySerializer(), new ByteArraySerializer());
        node = driver.createOutputTopic(TopicCatalog.METRICS_NODE, new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(TopicCatalog.METRICS_DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void forwardsValidSampleKeyedByNodeWithCloudEventHeaders() {
        raw.pipeInput(new TestRecord<>(null, Samples.bytes(Samples.valid("gpu-node-1", NOW.minusSeconds(2))),
                new RecordHeaders(), NOW));

        TestRecord<String, byte[]> out = node.readRecord();
        assertThat(out.key()).isEqualTo("gpu-node-1");
        assertThat(out.getRecordTime()).isEqualTo(NOW.minusSeconds(2));
        NodeMetric metric = ContractJson.read(out.value(), NodeMetric.class);
        assertThat(metric.gpuUtil()).isEqualTo(71.5);
        assertThat(header(out.headers(), CloudEventHeaders.TYPE)).isEqualTo("dev.meridian.metrics.node.v1");
        assertThat(header(out.headers(), CloudEventHeaders.SUBJECT)).isEqualTo("us-east");
        assertThat(header(out.headers(), CloudEventHeaders.TIME)).isEqualTo(NOW.minusSeconds(2).toString());
        assertThat(header(out.headers(), CloudEventHeaders.SOURCE)).isEqualTo("/meridian/metrics-ingest/test");
        assertThat(node.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.acceptedCount(Door.KAFKA)).isEqualTo(1);
    }

    static Stream<Arguments> rejectionClasses() {
        Instant t = NOW.minusSeconds(1);
        return Stream.of(
                Arguments.of("malformed JSON", bytes("{\"nodeId\": \"n1\","), "$", "json"),
                Arguments.of("not an object", bytes("[1, 2]"), "$", "type"),
                Arguments.of("wrong type", mutate(t, d -> d.put("gpuUtil", "high")), "gpuUtil", "type"),
                Arguments.of("missing field", mutate(t, d -> d.remove("pool")), "pool", "required"),
                Arguments.of("percentage above 100", mutate(t, d -> d.put("cpuUtil", 100.5)), "cpuUtil", "range"),
                Arguments.of("DCGM corrupt value", mutate(t, d -> d.put("gpuUtil", 4294967295L)), "gpuUtil", "range"),
                Arguments.of("NaN", Samples.withBareNumber(Samples.valid("n1", t), "gpuUtil", "NaN"), "gpuUtil", "finite"),
                Arguments.of("Infinity", Samples.withBareNumber(Samples.valid("n1", t), "netRxBytesPerSec", "Infinity"),
                        "netRxBytesPerSec", "finite"),
                Arguments.of("negative", mutate(t, d -> d.put("netTxBytesPerSec", -1.0)), "netTxBytesPerSec", "negative"),
                Arguments.of("GPU memory used above total", mutate(t, d -> d.put("gpuMemUsedMiB", 400_000)),
                        "gpuMemUsedMiB", "exceeds"),
                Arguments.of("clock skew beyond grace", mutate(t, d -> d.put("timestamp", NOW.plusSeconds(6).toString())),
                        "timestamp", "clock skew"),
                Arguments.of("unknown enum", mutate(t, d -> d.put("tier", "QUANTUM")), "tier", "enum"),
                Arguments.of("oversized string", mutate(t, d -> d.put("nodeId", "n".repeat(129))), "nodeId", "length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectionClasses")
    void deadLettersEveryRejectionClassWithRuleFieldAndSourceOffset(String name, byte[] value, String field,
            String rule) {
        pipeValid("before-1");
        pipeValid("before-2");
        RecordHeaders agentHeaders = new RecordHeaders();
        agentHeaders.add("agent-version", "1.4.2".getBytes(StandardCharsets.UTF_8));
        raw.pipeInput(new TestRecord<>("n1".getBytes(StandardCharsets.UTF_8), value, agentHeaders, NOW));
        pipeValid("after");

        assertThat(node.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("before-1", "before-2", "after");
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo(value);
        assertThat(dead.key()).isEqualTo("n1".getBytes(StandardCharsets.UTF_8));
        assertThat(header(dead.headers(), DeadLetterHeaders.FIELD)).isEqualTo(field);
        assertThat(header(dead.headers(), DeadLetterHeaders.RULE)).isEqualTo(rule);
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).isNotBlank();
        assertThat(header(dead.headers(), DeadLetterHeaders.DOOR)).isEqualTo("kafka");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TopicCatalog.METRICS_RAW);
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("2");
        assertThat(header(dead.headers(), DeadLetterHeaders.REJECTED_AT)).isEqualTo(NOW.toString());
        assertThat(header(dead.headers(), "agent-version")).isEqualTo("1.4.2");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.rejectedCount(Door.KAFKA, rule)).isEqualTo(1);
    }

    @Test
    void deadLettersTombstoneAndUnknownFormatWithoutStopping() {
        raw.pipeInput(new TestRecord<byte[], byte[]>(null, null, new RecordHeaders(), NOW));
        RecordHeaders unknown = new RecordHeaders();
        unknown.add(RawFormat.HEADER, "influx-line".getBytes(StandardCharsets.UTF_8));
        raw.pipeInput(new TestRecord<>(null, Samples.bytes(Samples.valid("n1", NOW)), unknown, NOW));
        pipeValid("n2");

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.RULE)).containsExactly("json", "format");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.FIELD))
                .containsExactly("$", RawFormat.HEADER);
        assertThat(node.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("n2");
    }

    @Test
    void tenThousandMixedSamplesYieldExactlyTheGoodOnesDownstreamAndTheBadOnesInTheDlq() {
        List<Arguments> bad = rejectionClasses().toList();
        Random random = new Random(42);
        List<String> expectedGood = new ArrayList<>();
        List<byte[]> expectedBad = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            if (random.nextInt(10) < 3) {
                byte[] value = (byte[]) bad.get(random.nextInt(bad.size())).get()[1];
                expectedBad.add(value);
                raw.pipeInput(new TestRecord<>(null, value, new RecordHeaders(), NOW));
            } else {
                String nodeId = "node-" + i;
                expectedGood.add(nodeId);
                raw.pipeInput(new TestRecord<>(null, Samples.bytes(Samples.valid(nodeId, NOW.minusMillis(i))),
                        new RecordHeaders(), NOW));
            }
        }

        assertThat(node.readKeyValuesToList()).extracting(kv -> kv.key).containsExactlyElementsOf(expectedGood);
        assertThat(dlq.readValuesToList()).containsExactlyElementsOf(expectedBad);
        assertThat(metrics.acceptedCount(Door.KAFKA)).isEqualTo(expectedGood.size());
        assertThat(expectedBad).hasSizeGreaterThan(2_500);
    }

    @Test
    void turnsConsecutiveCounterReadingsIntoRatesAndCombinesGpus() {
        List<GpuReading> gpus = List.of(
                new GpuReading("0", NOW.minusSeconds(16), 50, 1_000, 39_000),
                new GpuReading("1", NOW.minusSeconds(16), 70, 3_000, 37_000));
        pipeCounters(reading(NOW.minusSeconds(30), new NodeCounters(1_000, 800, 1e9, 5e8, 48e9, 64e9), gpus));
        assertThat(node.isEmpty()).as("the first reading only primes").isTrue();

        pipeCounters(reading(NOW.minusSeconds(15), new NodeCounters(1_150, 890, 1e9 + 15e6, 5e8 + 3e6, 48e9, 64e9),
                List.of()));

        TestRecord<String, byte[]> out = node.readRecord();
        NodeMetric metric = ContractJson.read(out.value(), NodeMetric.class);
        assertThat(out.key()).isEqualTo("gpu-node-7");
        assertThat(metric.timestamp()).isEqualTo(NOW.minusSeconds(15));
        assertThat(metric.cpuUtil()).isEqualTo(40.0);
        assertThat(metric.netRxBytesPerSec()).isEqualTo(1e6);
        assertThat(metric.netTxBytesPerSec()).isEqualTo(2e5);
        assertThat(metric.memUtil()).isEqualTo(25.0);
        assertThat(metric.gpuCount()).isEqualTo(2);
        assertThat(metric.gpuUtil()).isEqualTo(60.0);
        assertThat(metric.gpuMemUsedMiB()).isEqualTo(4_000);
        assertThat(metric.gpuMemTotalMiB()).isEqualTo(80_000);
        assertThat(metric.tier()).isEqualTo(Tier.CORE_GPU);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void aNodeSilentForTheLeftTimeoutLosesItsCountersAndItsNextReadingPrimesAgain() {
        List<GpuReading> gpus = List.of(new GpuReading("0", NOW.minusSeconds(40), 10, 100, 900));
        pipeCounters(reading(NOW.minusSeconds(30), new NodeCounters(1_000, 800, 1e9, 5e8, 48e9, 64e9), gpus));
        KeyValueStore<String, Object> counters = driver.getKeyValueStore(RawIntake.COUNTERS_STORE);
        assertThat(counters.approximateNumEntries()).isEqualTo(1);

        // Newest reading 30 s old: a wall-clock step to 1 s short of the timeout keeps it ...
        driver.advanceWallClockTime(COUNTERS_FORGOTTEN.minusSeconds(31));
        assertThat(counters.approximateNumEntries()).isEqualTo(1);
        // ... and one past the timeout forgets it.
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(counters.approximateNumEntries()).isZero();

        pipeCounters(reading(NOW.minusSeconds(15), new NodeCounters(1_150, 890, 1e9 + 15e6, 5e8 + 3e6, 48e9, 64e9),
                gpus));
        assertThat(node.isEmpty()).as("without the forgotten base, the reading only primes").isTrue();
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void aCounterThatDecreasesIsAResetThatPrimesAgain() {
        List<GpuReading> gpus = List.of(new GpuReading("0", NOW.minusSeconds(40), 10, 100, 900));
        pipeCounters(reading(NOW.minusSeconds(45), new NodeCounters(5_000, 4_000, 9e9, 9e9, 1e9, 2e9), gpus));
        pipeCounters(reading(NOW.minusSeconds(30), new NodeCounters(10, 8, 1e3, 1e3, 1e9, 2e9), List.of()));
        assertThat(node.isEmpty()).as("a rate across a restart is unknown").isTrue();

        pipeCounters(reading(NOW.minusSeconds(20), new NodeCounters(30, 18, 1e3 + 1e4, 1e3, 1e9, 2e9), List.of()));

        NodeMetric metric = ContractJson.read(node.readRecord().value(), NodeMetric.class);
        assertThat(metric.cpuUtil()).isEqualTo(50.0);
        assertThat(metric.netRxBytesPerSec()).isEqualTo(1e3);
        assertThat(metric.netTxBytesPerSec()).isZero();
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void gpuReadingsFromAnotherRequestJoinTheNextCounterSample() {
        pipeCounters(reading(NOW.minusSeconds(30), new NodeCounters(100, 50, 0, 0, 1e9, 4e9), List.of()));
        pipeCounters(reading(NOW.minusSeconds(20), null, List.of(new GpuReading("3", NOW.minusSeconds(20), 90, 10, 30))));
        pipeCounters(reading(NOW.minusSeconds(15), new NodeCounters(110, 55, 0, 0, 1e9, 4e9), List.of()));

        NodeMetric metric = ContractJson.read(node.readRecord().value(), NodeMetric.class);
        assertThat(metric.gpuCount()).isEqualTo(1);
        assertThat(metric.gpuUtil()).isEqualTo(90.0);
        assertThat(metric.gpuMemTotalMiB()).isEqualTo(40);
        assertThat(metric.memUtil()).isEqualTo(75.0);
    }

    @Test
    void aReadingFromTheFutureIsDeadLetteredNotStoredSoTheNodesNextReadingsStillCount() {
        List<GpuReading> gpus = List.of(new GpuReading("0", NOW.minusSeconds(40), 10, 100, 900));
        // A scrape stamped an hour ahead (a jumped clock), and one whose GPU reading is.
        pipeCounters(reading(NOW.plusSeconds(3_600), new NodeCounters(2_000, 900, 2e9, 6e8, 48e9, 64e9), gpus));
        pipeCounters(reading(NOW.minusSeconds(35), null,
                List.of(new GpuReading("1", NOW.plusSeconds(3_600), 99, 100, 900))));
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.RULE))
                .containsExactly("clock skew", "clock skew");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.FIELD))
                .containsExactly("timestamp", "gpus[0].timestamp");
        KeyValueStore<String, Object> counters = driver.getKeyValueStore(RawIntake.COUNTERS_STORE);
        assertThat(counters.approximateNumEntries()).isZero();

        // The node's own readings prime and yield a rate as if the future ones never came.
        pipeCounters(reading(NOW.minusSeconds(30), new NodeCounters(1_000, 800, 1e9, 5e8, 48e9, 64e9), gpus));
        pipeCounters(reading(NOW.minusSeconds(15), new NodeCounters(1_150, 890, 1e9 + 15e6, 5e8 + 3e6, 48e9, 64e9),
                List.of()));
        NodeMetric metric = ContractJson.read(node.readRecord().value(), NodeMetric.class);
        assertThat(metric.cpuUtil()).isEqualTo(40.0);
        assertThat(metric.gpuUtil()).as("the future GPU reading was never merged").isEqualTo(10.0);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void deadLettersAGpuNodeWithoutFreshGpuReadingsAndAReplayedReading() {
        List<GpuReading> stale = List.of(new GpuReading("0", NOW.minusSeconds(600), 10, 100, 900));
        pipeCounters(reading(NOW.minusSeconds(30), new NodeCounters(100, 50, 0, 0, 1e9, 4e9), stale));
        pipeCounters(reading(NOW.minusSeconds(15), new NodeCounters(110, 55, 0, 0, 1e9, 4e9), List.of()));
        pipeCounters(reading(NOW.minusSeconds(15), new NodeCounters(110, 55, 0, 0, 1e9, 4e9), List.of()));

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.RULE)).containsExactly("required", "order");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.FIELD)).containsExactly("gpus", "timestamp");
        assertThat(node.isEmpty()).isTrue();
    }

    @Test
    void deadLettersACounterReadingKeyedByAnotherNode() {
        NodeSeriesSample sample = reading(NOW.minusSeconds(30), new NodeCounters(1, 1, 0, 0, 1, 2), List.of());
        raw.pipeInput(new TestRecord<>("someone-else".getBytes(StandardCharsets.UTF_8), ContractJson.write(sample),
                prometheusHeaders(), NOW));

        assertThat(header(dlq.readRecord().headers(), DeadLetterHeaders.RULE)).isEqualTo("key");
    }

    @Test
    void anEdgeCpuNodeNeedsNoGpus() {
        pipeCounters(edge(NOW.minusSeconds(30), new NodeCounters(100, 50, 0, 0, 1e9, 4e9)));
        pipeCounters(edge(NOW.minusSeconds(20), new NodeCounters(120, 60, 0, 0, 1e9, 4e9)));

        NodeMetric metric = ContractJson.read(node.readRecord().value(), NodeMetric.class);
        assertThat(metric.gpuCount()).isZero();
        assertThat(metric.cpuUtil()).isEqualTo(50.0);
    }

    private static NodeSeriesSample reading(Instant at, NodeCounters counters, List<GpuReading> gpus) {
        return new NodeSeriesSample("gpu-node-7", "us-east", "us-east-1a", "llm-a100", Tier.CORE_GPU, "p4d.24xlarge",
                CapacityType.SPOT, at, counters, gpus);
    }

    private static NodeSeriesSample edge(Instant at, NodeCounters counters) {
        return new NodeSeriesSample("gpu-node-7", "us-east", "us-east-1a", "edge", Tier.EDGE_CPU, "c7g.xlarge",
                CapacityType.ON_DEMAND, at, counters, List.of());
    }

    private void pipeCounters(NodeSeriesSample sample) {
        raw.pipeInput(new TestRecord<>(sample.nodeId().getBytes(StandardCharsets.UTF_8), ContractJson.write(sample),
                prometheusHeaders(), sample.timestamp()));
    }

    private static Headers prometheusHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(RawFormat.HEADER, RawFormat.PROMETHEUS_NODE.headerValue());
        return headers;
    }

    /** Keyed by its node, as agents should: on its node's (only) partition, so the intake windows it in place. */
    private void pipeValid(String nodeId) {
        raw.pipeInput(new TestRecord<>(nodeId.getBytes(StandardCharsets.UTF_8),
                Samples.bytes(Samples.valid(nodeId, NOW.minusSeconds(1))), new RecordHeaders(), NOW));
    }

    private static byte[] mutate(Instant t, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode doc = Samples.valid("n1", t);
        change.accept(doc);
        return Samples.bytes(doc);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
