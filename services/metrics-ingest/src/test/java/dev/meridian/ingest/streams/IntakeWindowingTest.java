package dev.meridian.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.DeadLetterHeaders;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.intake.Samples;
import dev.meridian.ingest.intake.ValidatedBy;
import dev.meridian.ingest.metrics.MicrometerIntakeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One pass per sample: every door's samples arrive on metrics.raw and are windowed exactly once, on the task of their
 * node — at once when the raw record is keyed by its node on that key's partition, else after the intake has written
 * it back to raw keyed by its node (marked validated, so it is only parsed there). What a door of ours validated is
 * only parsed; nothing is read back from metrics.node. TopologyTestDriver feeds every record, written-back ones
 * included, to partition 0.
 */
class IntakeWindowingTest {

    /** Window [12:00:00, 12:00:10) closes at 12:00:15. */
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> raw;
    private TestOutputTopic<String, byte[]> writtenBack;
    private TestOutputTopic<String, byte[]> node;
    private TestOutputTopic<String, NodeUtilization> nodeResults;
    private TestOutputTopic<String, byte[]> dlq;
    private final WindowedUtilizationTest.CountingMetrics windowMetrics = new WindowedUtilizationTest.CountingMetrics();

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aSampleKeyedByItsNodeIsWindowedOnceAndNothingIsWrittenAnywhereElse() {
        start(1, false);
        sendRaw("node-a", "node-a", 2, 40.0);

        assertThat(writtenBack.isEmpty()).as("already on its node's partition").isTrue();
        assertThat(node.isEmpty()).as("metrics.node is an opt-in tap").isTrue();
        wallClockTo(15_200);
        NodeUtilization result = nodeResults.readValue();
        assertThat(result.sampleCount()).isEqualTo(1);
        assertThat(result.gpuAvg()).isEqualTo(40.0);
        assertThat(nodeResults.isEmpty()).isTrue();
    }

    @Test
    void samplesOfOneNodeThroughEveryDoorAreEachCountedOnce() {
        start(1, false);
        sendRaw("node-a", "node-a", 1, 10.0);
        sendRaw(null, "node-a", 2, 20.0);
        sendRaw("someone-else", "node-a", 3, 30.0);
        // As the HTTP door writes: keyed by node, marked validated.
        sendMarked("node-a", metric("node-a", 4, 60.0), "http");

        List<TestRecord<String, byte[]>> back = writtenBack.readRecordsToList();
        assertThat(back).as("the two samples not keyed by their node, moved to it").hasSize(2)
                .allSatisfy(r -> {
                    assertThat(r.key()).isEqualTo("node-a");
                    assertThat(header(r.headers(), ValidatedBy.HEADER)).isEqualTo("kafka");
                });
        wallClockTo(15_200);
        NodeUtilization result = nodeResults.readValue();
        assertThat(result.sampleCount()).isEqualTo(4);
        assertThat(result.gpuAvg()).isCloseTo((10.0 + 20.0 + 30.0 + 60.0) / 4, within(1e-9));
        assertThat(result.gpuMax()).isEqualTo(60.0);
        assertThat(nodeResults.isEmpty()).isTrue();
    }

    @Test
    void aKeyedSampleOnAnotherPartitionThanItsKeyMapsToIsMovedToItsNodesPartition() {
        start(12, false);
        // Kafka's default partitioner, computed outside Java: positive murmur2("node-3") = 638225193, mod 12 = 9;
        // positive murmur2("node-4") = 1563718788, mod 12 = 0.
        sendRaw("node-3", "node-3", 1, 30.0);
        sendRaw("node-4", "node-4", 1, 10.0);

        assertThat(writtenBack.readRecordsToList()).as("partition 0 is node-4's, not node-3's")
                .extracting(TestRecord::key).containsExactly("node-3");
        wallClockTo(15_200);
        assertThat(nodeResults.readValuesToList())
                .extracting(NodeUtilization::nodeId, NodeUtilization::sampleCount, NodeUtilization::gpuAvg)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("node-3", 1, 30.0),
                        org.assertj.core.groups.Tuple.tuple("node-4", 1, 10.0));
    }

    @Test
    void onlyOurDoorsMarksAreTrustedAndAMarkedRecordThatIsNoSampleIsDeadLettered() {
        start(1, false);
        NodeMetric hot = metric("node-a", 1, 100.5);
        // A value no door of ours writes: the sample is checked as any agent's, and its gpuUtil is out of range.
        sendMarked("node-a", hot, "trust-me");
        // Marked by the HTTP door but not a sample at all: parsing still refuses it, under the door that wrote it.
        raw.pipeInput(new TestRecord<>("node-a".getBytes(StandardCharsets.UTF_8),
                "{\"nodeId\":".getBytes(StandardCharsets.UTF_8), marked("http"), T0));

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.DOOR)).containsExactly("kafka", "http");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.FIELD)).containsExactly("gpuUtil", "$");
        wallClockTo(15_200);
        assertThat(nodeResults.isEmpty()).isTrue();
    }

    @Test
    void aSampleClaimingAnotherRegionForAKnownNodeIsDeadLetteredUnderTheDoorItCameThrough() {
        start(1, false);
        sendRaw("node-a", "node-a", 1, 40.0);
        sendRaw("node-a", inRegion(metric("node-a", 2, 99.0), "eu-west"));
        sendMarked("node-a", inRegion(metric("node-a", 3, 98.0), "eu-west"), "http");

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(2).allMatch(r -> r.key().equals("node-a"));
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.RULE))
                .containsOnly("node-of-another-region");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.FIELD)).containsOnly("region");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.DOOR)).containsExactly("kafka", "http");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                .containsOnly(TopicCatalog.METRICS_RAW);
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.SOURCE_OFFSET)).containsExactly("1", "2");
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.REASON)).contains("us-east");
        assertThat(dead).extracting(r -> ContractJson.read(r.value(), NodeMetric.class).region())
                .containsOnly("eu-west");
        assertThat(windowMetrics.refused)
                .containsExactly("kafka/node-of-another-region", "http/node-of-another-region");
        wallClockTo(15_200);
        NodeUtilization result = nodeResults.readValue();
        assertThat(result.region()).isEqualTo("us-east");
        assertThat(result.sampleCount()).as("neither claim is in the node's window").isEqualTo(1);
        assertThat(result.gpuMax()).isEqualTo(40.0);
        assertThat(nodeResults.isEmpty()).isTrue();
    }

    @Test
    void theNodeTopicTapCarriesEachValidSampleOnceWithItsCloudEventsHeaders() {
        start(1, true);
        sendRaw("node-a", "node-a", 1, 10.0);
        sendRaw(null, "node-a", 2, 20.0);
        sendMarked("node-a", metric("node-a", 3, 30.0), "http");

        List<TestRecord<String, byte[]>> tapped = node.readRecordsToList();
        assertThat(tapped).hasSize(3).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("node-a");
            assertThat(header(r.headers(), "ce_type")).isEqualTo("dev.meridian.metrics.node.v1");
        });
        assertThat(tapped).extracting(r -> ContractJson.read(r.value(), NodeMetric.class).gpuUtil())
                .containsExactlyInAnyOrder(10.0, 20.0, 30.0);
    }

    private void start(int nodePartitions, boolean tap) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "intake-windowing-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        RawIntake.Settings intake = new RawIntake.Settings(
                new SampleValidator(Clock.fixed(T0, ZoneOffset.UTC), Duration.ofSeconds(5)),
                new MicrometerIntakeMetrics(new SimpleMeterRegistry()), "/test", Duration.ofMinutes(2),
                nodePartitions).withNodeTopicTap(tap);
        driver = new TopologyTestDriver(IngestTopology.build(intake, TopologySettings.defaults(), windowMetrics),
                props, T0);
        raw = driver.createInputTopic(TopicCatalog.METRICS_RAW, new ByteArraySerializer(), new ByteArraySerializer());
        writtenBack = driver.createOutputTopic(TopicCatalog.METRICS_RAW, new StringDeserializer(),
                new ByteArrayDeserializer());
        node = driver.createOutputTopic(TopicCatalog.METRICS_NODE, new StringDeserializer(),
                new ByteArrayDeserializer());
        nodeResults = driver.createOutputTopic(TopicCatalog.UTILIZATION_NODE, new StringDeserializer(),
                ContractSerdes.nodeUtilization().deserializer());
        dlq = driver.createOutputTopic(TopicCatalog.METRICS_DLQ, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void sendRaw(String key, String nodeId, int second, double gpuUtil) {
        sendRaw(key, metric(nodeId, second, gpuUtil));
    }

    private void sendRaw(String key, NodeMetric sample) {
        raw.pipeInput(new TestRecord<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                ContractJson.mapper().valueToTree(sample).toString().getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(), T0));
    }

    private void sendMarked(String key, NodeMetric sample, String door) {
        raw.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8),
                ContractJson.mapper().valueToTree(sample).toString().getBytes(StandardCharsets.UTF_8), marked(door), T0));
    }

    private static Headers marked(String door) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ValidatedBy.HEADER, door.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static NodeMetric inRegion(NodeMetric sample, String region) {
        return new NodeMetric(sample.nodeId(), region, region + "-1a", sample.pool(), sample.tier(),
                sample.instanceType(), sample.capacityType(), sample.timestamp(), sample.gpuCount(), sample.gpuUtil(),
                sample.gpuMemUsedMiB(), sample.gpuMemTotalMiB(), sample.cpuUtil(), sample.memUtil(),
                sample.netRxBytesPerSec(), sample.netTxBytesPerSec(), null, null);
    }

    private static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static NodeMetric metric(String nodeId, int second, double gpuUtil) {
        NodeMetric sample = ContractJson.read(Samples.bytes(Samples.valid(nodeId, T0.plusSeconds(second))),
                NodeMetric.class);
        return new NodeMetric(sample.nodeId(), sample.region(), sample.zone(), sample.pool(), sample.tier(),
                sample.instanceType(), sample.capacityType(), sample.timestamp(), sample.gpuCount(), gpuUtil,
                sample.gpuMemUsedMiB(), sample.gpuMemTotalMiB(), sample.cpuUtil(), sample.memUtil(),
                sample.netRxBytesPerSec(), sample.netTxBytesPerSec(), null, null);
    }

    private long driverWallClock;

    private void wallClockTo(long millisAfterT0) {
        while (driverWallClock < millisAfterT0) {
            long step = Math.min(200, millisAfterT0 - driverWallClock);
            driver.advanceWallClockTime(Duration.ofMillis(step));
            driverWallClock += step;
        }
    }
}
