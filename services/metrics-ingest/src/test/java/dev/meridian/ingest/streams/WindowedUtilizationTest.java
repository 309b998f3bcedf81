package dev.meridian.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.json.InternalJsonSerde;
import dev.meridian.contracts.metrics.DeadLetterHeaders;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.SampleValidator;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WindowedUtilizationTest {

    /** Window [10:00:00, 10:00:10) closes at 10:00:15 (5 s grace). */
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final CountingMetrics metrics = new CountingMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, NodeMetric> samples;
    private TestOutputTopic<String, NodeUtilization> nodeResults;
    private TestOutputTopic<String, PoolUtilization> poolResults;
    private TestOutputTopic<String, FleetNode> inventory;
    private TestOutputTopic<String, NodeMetric> dlq;

    @BeforeEach
    void startDriver() {
        startDriver(TopologySettings.defaults());
    }

    private void startDriver(TopologySettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "windowed-utilization-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // As in application.properties: a poison record is skipped, not fatal.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class);
        RawIntake.Settings intake = new RawIntake.Settings(
                new SampleValidator(Clock.fixed(T0, ZoneOffset.UTC), Duration.ofSeconds(5)),
                new MicrometerIntakeMetrics(new SimpleMeterRegistry()), "/test", Duration.ofMinutes(2));
        driver = new TopologyTestDriver(IngestTopology.build(intake, settings, metrics), props, T0);
        // As the HTTP door writes them: keyed by node, marked validated, so the intake only parses them (their times
        // run ahead of the fixed clock the door's skew check would hold them to).
        samples = driver.createInputTopic(TopicCatalog.METRICS_RAW, Serdes.String().serializer(),
                ContractSerdes.nodeMetric().serializer());
        nodeResults = driver.createOutputTopic(TopicCatalog.UTILIZATION_NODE, Serdes.String().deserializer(),
                ContractSerdes.nodeUtilization().deserializer());
        poolResults = driver.createOutputTopic(TopicCatalog.UTILIZATION_POOL, Serdes.String().deserializer(),
                ContractSerdes.poolUtilization().deserializer());
        inventory = driver.createOutputTopic(TopicCatalog.FLEET_NODES, Serdes.String().deserializer(),
                ContractSerdes.fleetNode().deserializer());
        dlq = driver.createOutputTopic(TopicCatalog.METRICS_DLQ, Serdes.String().deserializer(),
                ContractSerdes.nodeMetric().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void emitsExactAverageAndMaximumOnceTheWindowCloses() {
        send(gpu("node-a", 1, 40, 20_000, 30));
        send(gpu("node-a", 4, 90, 60_000, 50));
        send(gpu("node-a", 8, 20, 40_000, 10));

        wallClockTo(14_900);
        assertThat(nodeResults.isEmpty()).as("window still open until end + grace").isTrue();

        wallClockTo(15_200);
        NodeUtilization result = nodeResults.readValue();
        assertThat(result.nodeId()).isEqualTo("node-a");
        assertThat(result.windowStart()).isEqualTo(T0);
        assertThat(result.windowEnd()).isEqualTo(T0.plusSeconds(10));
        assertThat(result.sampleCount()).isEqualTo(3);
        assertThat(result.gpuAvg()).isCloseTo(50.0, within(1e-9));
        assertThat(result.gpuMax()).isEqualTo(90.0);
        assertThat(result.gpuMemPeakPct()).isCloseTo(75.0, within(1e-9));
        assertThat(result.cpuAvg()).isCloseTo(30.0, within(1e-9));
        assertThat(nodeResults.isEmpty()).isTrue();
    }

    @Test
    void countsASampleArrivingOutOfOrderWithinTheGrace() {
        send(gpu("node-a", 12, 10, 1_000, 10));
        send(gpu("node-a", 9, 70, 1_000, 10));

        wallClockTo(15_200);

        NodeUtilization first = nodeResults.readValue();
        assertThat(first.windowStart()).isEqualTo(T0);
        assertThat(first.sampleCount()).isEqualTo(1);
        assertThat(first.gpuAvg()).isEqualTo(70.0);
        assertThat(metrics.lateSamples.get()).isZero();
    }

    @Test
    void dropsAndCountsASampleBeyondTheGrace() {
        send(gpu("node-a", 21, 10, 1_000, 10));
        // Stream time is now 21 s, past the first window's close at 15 s.
        send(gpu("node-a", 3, 99, 1_000, 10));

        wallClockTo(25_200);
        assertThat(nodeResults.isEmpty()).isTrue();
        assertThat(metrics.lateSamples.get()).isEqualTo(1);

        wallClockTo(35_200);
        NodeUtilization result = nodeResults.readValue();
        assertThat(result.windowStart()).isEqualTo(T0.plusSeconds(20));
        assertThat(result.gpuMax()).isEqualTo(10.0);
    }

    @Test
    void oneNodeAheadInTimeDoesNotCutAnotherNodesGrace() {
        // node-fast stamps 21 s (a clock ahead); node-slow's sample from the first window is still within grace.
        send(gpu("node-fast", 21, 10, 1_000, 10));
        send(gpu("node-slow", 9, 50, 1_000, 10));

        wallClockTo(15_200);

        assertThat(metrics.lateSamples.get()).isZero();
        assertThat(nodeResults.readValue().nodeId()).isEqualTo("node-slow");
    }

    @Test
    void deadLettersAPoisonRecordMarkedValidatedAndKeepsGoing() {
        RecordHeaders marked = new RecordHeaders();
        ValidatedBy.mark(marked, Door.HTTP);
        driver.createInputTopic(TopicCatalog.METRICS_RAW, Serdes.String().serializer(), Serdes.String().serializer())
                .pipeInput(new TestRecord<>("node-x", "{not json", marked, T0.plusSeconds(1)));
        send(gpu("node-a", 2, 40, 1_000, 30));

        wallClockTo(15_200);

        assertThat(nodeResults.readValue().nodeId()).isEqualTo("node-a");
        TestRecord<String, String> dead = driver.createOutputTopic(TopicCatalog.METRICS_DLQ,
                Serdes.String().deserializer(), Serdes.String().deserializer()).readRecord();
        assertThat(dead.value()).as("the bytes received").isEqualTo("{not json");
        assertThat(header(dead.headers(), DeadLetterHeaders.RULE)).isEqualTo("json");
        assertThat(header(dead.headers(), DeadLetterHeaders.DOOR)).isEqualTo("http");
    }

    @Test
    void dropsASampleWhoseWindowClosedByWallClock() {
        wallClockTo(16_000);
        send(gpu("node-a", 2, 50, 1_000, 10));

        assertThat(metrics.lateSamples.get()).isEqualTo(1);
    }

    @Test
    void aggregatesNodeResultsIntoTheirPoolOnceEveryJoinedNodeReported() {
        send(gpu("node-a", 1, 40, 40_000, 30));
        send(gpu("node-b", 2, 96, 72_000, 50));
        send(gpu("node-c", 3, 20, 8_000, 70));
        send(edge("edge-1", 3, 60));

        wallClockTo(15_200);
        assertThat(nodeResults.readValuesToList()).hasSize(4);
        // Every JOINED node of both pools reported: no need to wait for the settle deadline.
        List<PoolUtilization> pools = poolResults.readValuesToList();
        assertThat(pools).extracting(PoolUtilization::pool).containsExactlyInAnyOrder("gpu-core", "edge");
        PoolUtilization gpuPool = pools.stream().filter(p -> p.pool().equals("gpu-core")).findFirst().orElseThrow();
        assertThat(gpuPool.region()).isEqualTo("eu-west");
        assertThat(gpuPool.nodeCount()).isEqualTo(3);
        assertThat(gpuPool.saturatedCount()).isEqualTo(1);
        assertThat(gpuPool.eligibleCount()).isEqualTo(2);
        assertThat(gpuPool.staleCount()).isZero();
        assertThat(gpuPool.gpuAvg()).isCloseTo(52.0, within(1e-9));
        assertThat(gpuPool.gpuMax()).isEqualTo(96.0);
        assertThat(gpuPool.gpuMemPeakPct()).isCloseTo(90.0, within(1e-9));
        PoolUtilization edgePool = pools.stream().filter(p -> p.pool().equals("edge")).findFirst().orElseThrow();
        assertThat(edgePool.tier()).isEqualTo(Tier.EDGE_CPU);
        assertThat(edgePool.load()).isEqualTo(60.0);
    }

    @Test
    void waitsForASilentJoinedNodeOnlyUntilTheSettleDeadline() {
        send(gpu("node-a", 1, 40, 1_000, 30));
        send(gpu("node-b", 1, 60, 1_000, 30));
        wallClockTo(15_200);
        assertThat(poolResults.readValuesToList()).hasSize(1);

        // Window [10, 20): node-b is silent but not yet STALE.
        send(gpu("node-a", 11, 40, 1_000, 30));
        wallClockTo(25_200);
        assertThat(poolResults.isEmpty()).as("node-b may still report").isTrue();

        wallClockTo(26_600);
        PoolUtilization pool = poolResults.readValue();
        assertThat(pool.windowStart()).isEqualTo(T0.plusSeconds(10));
        assertThat(pool.nodeCount()).isEqualTo(2);
        assertThat(pool.eligibleCount()).isEqualTo(1);
    }

    @Test
    void poolCountsItsStaleNodes() {
        send(gpu("node-a", 1, 40, 1_000, 30));
        send(gpu("node-b", 1, 60, 1_000, 30));
        wallClockTo(15_800);
        poolResults.readValuesToList();

        // node-b falls silent; node-a keeps reporting every window.
        for (int second = 11; second <= 51; second += 10) {
            send(gpu("node-a", second, 40, 1_000, 30));
            wallClockTo((second + 14) * 1_000L + 800);
        }

        PoolUtilization last = poolResults.readValuesToList().get(3);
        assertThat(last.windowStart()).isEqualTo(T0.plusSeconds(40));
        assertThat(last.nodeCount()).isEqualTo(2);
        assertThat(last.staleCount()).isEqualTo(1);
        assertThat(last.eligibleCount()).isEqualTo(1);
    }

    @Test
    void nodeJoinsOnItsFirstSampleGoesStaleAfterThreeSilentWindowsAndLeavesAfterTheTimeout() {
        send(gpu("node-a", 1, 40, 1_000, 30));
        send(gpu("node-a", 2, 40, 1_000, 30));

        FleetNode joined = inventory.readValue();
        assertThat(joined.state()).isEqualTo(NodeState.JOINED);
        assertThat(joined.since()).isEqualTo(T0.plusSeconds(1));
        assertThat(inventory.isEmpty()).as("one JOINED per node, not per sample").isTrue();

        // Last seen in the window ending at 10 s; windows [10,20), [20,30), [30,40) stay silent.
        wallClockTo(44_000);
        assertThat(inventory.isEmpty()).isTrue();
        // Liveness is checked once a second of wall-clock time, so STALE shows within a second of 45 s.
        wallClockTo(46_000);
        FleetNode stale = inventory.readValue();
        assertThat(stale.state()).isEqualTo(NodeState.STALE);
        assertThat(stale.lastSeen()).isEqualTo(T0.plusSeconds(10));

        wallClockTo(5 * 60_000 + 10_000 + 1_000);
        FleetNode left = inventory.readValue();
        assertThat(left.state()).isEqualTo(NodeState.LEFT);
        KeyValueStore<String, FleetNode> store = driver.getKeyValueStore(StateStores.INGEST_INVENTORY);
        assertThat(store.get("node-a")).isNull();
    }

    @Test
    void staleNodeThatReportsAgainRejoins() {
        send(gpu("node-a", 1, 40, 1_000, 30));
        wallClockTo(46_000);
        assertThat(inventory.readValuesToList()).extracting(FleetNode::state)
                .containsExactly(NodeState.JOINED, NodeState.STALE);

        send(gpu("node-a", 46, 40, 1_000, 30));

        assertThat(inventory.readValue().state()).isEqualTo(NodeState.JOINED);
    }

    @Test
    void nodeMovingToAnotherPoolLeavesTheOldOne() {
        send(gpu("node-a", 1, 40, 1_000, 30));
        send(sample("node-a", "gpu-batch", Tier.CORE_GPU, 2, 40, 1_000, 30));

        List<FleetNode> changes = inventory.readValuesToList();
        assertThat(changes).extracting(FleetNode::pool, FleetNode::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gpu-core", NodeState.JOINED),
                org.assertj.core.groups.Tuple.tuple("gpu-core", NodeState.LEFT),
                org.assertj.core.groups.Tuple.tuple("gpu-batch", NodeState.JOINED));
        assertThat(dlq.isEmpty()).as("a pool move within the region is legitimate").isTrue();
        assertThat(metrics.refused).isEmpty();
    }

    @Test
    void refusesASampleClaimingAnotherRegionForAJoinedNode() {
        send(inRegion(APSE_NODE, "ap-southeast", 1, 40));
        assertThat(inventory.readValue().state()).isEqualTo(NodeState.JOINED);

        // An eu-west caller posts for the ap-southeast node's id.
        NodeMetric claim = inRegion(APSE_NODE, "eu-west", 2, 99);
        send(claim);

        TestRecord<String, NodeMetric> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo(APSE_NODE);
        assertThat(dead.value()).isEqualTo(claim);
        assertThat(header(dead.headers(), DeadLetterHeaders.RULE)).isEqualTo("node-of-another-region");
        assertThat(header(dead.headers(), DeadLetterHeaders.FIELD)).isEqualTo("region");
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).contains("eu-west", "ap-southeast");
        assertThat(header(dead.headers(), DeadLetterHeaders.DOOR)).as("the door that took it").isEqualTo("http");
        assertThat(header(dead.headers(), DeadLetterHeaders.REJECTED_AT)).isEqualTo(T0.toString());
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TopicCatalog.METRICS_RAW);
        assertThat(header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.refused).containsExactly("http/node-of-another-region");
        assertThat(inventory.isEmpty()).as("no LEFT in ap-southeast, no JOINED in eu-west").isTrue();
        KeyValueStore<String, FleetNode> store = driver.getKeyValueStore(StateStores.INGEST_INVENTORY);
        assertThat(store.get(APSE_NODE).region()).isEqualTo("ap-southeast");
        assertThat(store.get(APSE_NODE).state()).isEqualTo(NodeState.JOINED);

        // The node's own next sample is windowed as ever, and the claim is in no window.
        send(inRegion(APSE_NODE, "ap-southeast", 3, 60));
        assertThat(inventory.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
        wallClockTo(15_200);
        NodeUtilization result = nodeResults.readValue();
        assertThat(result.region()).isEqualTo("ap-southeast");
        assertThat(result.sampleCount()).isEqualTo(2);
        assertThat(result.gpuMax()).isEqualTo(60.0);
        assertThat(result.gpuAvg()).isCloseTo(50.0, within(1e-9));
        assertThat(nodeResults.isEmpty()).isTrue();
        assertThat(poolResults.readValuesToList()).extracting(PoolUtilization::region, PoolUtilization::nodeCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ap-southeast", 1));
    }

    @Test
    void aStaleNodeKeepsItsRegionAndOnceLeftItsIdMayJoinAnotherRegion() {
        send(inRegion(APSE_NODE, "ap-southeast", 1, 40));
        wallClockTo(46_000);
        assertThat(inventory.readValuesToList()).extracting(FleetNode::state)
                .containsExactly(NodeState.JOINED, NodeState.STALE);

        // STALE is not LEFT: still refused, and it does not keep the node alive.
        send(inRegion(APSE_NODE, "eu-west", 46, 40));
        assertThat(header(dlq.readRecord().headers(), DeadLetterHeaders.RULE)).isEqualTo("node-of-another-region");
        assertThat(inventory.isEmpty()).isTrue();

        wallClockTo(5 * 60_000 + 10_000 + 1_000);
        FleetNode left = inventory.readValue();
        assertThat(left.state()).isEqualTo(NodeState.LEFT);
        assertThat(left.region()).isEqualTo("ap-southeast");
        nodeResults.readValuesToList();
        poolResults.readValuesToList();

        // The id is reused in eu-west.
        send(inRegion(APSE_NODE, "eu-west", 312, 70));
        FleetNode joined = inventory.readValue();
        assertThat(joined.state()).isEqualTo(NodeState.JOINED);
        assertThat(joined.region()).isEqualTo("eu-west");
        assertThat(inventory.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.refused).hasSize(1);
        wallClockTo(325_200);
        NodeUtilization result = nodeResults.readValue();
        assertThat(result.region()).isEqualTo("eu-west");
        assertThat(result.gpuAvg()).isEqualTo(70.0);
    }

    @Test
    void latestResultsAreQueryable() {
        send(gpu("node-a", 1, 40, 1_000, 30));
        wallClockTo(15_800);

        KeyValueStore<String, NodeUtilization> nodes = driver.getKeyValueStore(StateStores.INGEST_NODE_LATEST);
        KeyValueStore<String, PoolUtilization> pools = driver.getKeyValueStore(StateStores.INGEST_POOL_LATEST);
        assertThat(nodes.get("node-a").gpuAvg()).isEqualTo(40.0);
        assertThat(pools.get("eu-west/gpu-core").gpuAvg()).isEqualTo(40.0);
    }

    @Test
    void dropsANodeResultForAPoolWindowAlreadyEmitted() {
        send(gpu("node-a", 1, 40, 1_000, 30));
        wallClockTo(17_000);
        assertThat(poolResults.getQueueSize()).isEqualTo(1);

        // A straggler for the same, already emitted pool window (as if its task had been stalled).
        driver.createInputTopic("windowed-utilization-test-" + WindowedUtilization.POOL_REPARTITION + "-repartition",
                Serdes.String().serializer(), InternalJsonSerde.of(NodeEvent.class).serializer())
                .pipeInput("eu-west/gpu-core", NodeEvent.of(utilization("node-z", 0, 99)));
        wallClockTo(18_000);

        assertThat(metrics.lateNodeResults.get()).isEqualTo(1);
        assertThat(poolResults.getQueueSize()).isEqualTo(1);
    }

    @Test
    void aRegionAtItsNodeLimitRefusesNewNodesUntilSomeHaveLeft() {
        driver.close();
        TopologySettings defaults = TopologySettings.defaults();
        int partitions = TopicCatalog.byName(TopicCatalog.METRICS_RAW).partitions();
        // The driver runs every partition in one task, which admits one task's share: 2 nodes per region, 3 in all.
        startDriver(new TopologySettings(defaults.windows(), defaults.liveness(), defaults.emitInterval(),
                defaults.poolSettle(), 2 * partitions, 3 * partitions));
        send(inRegion("eu-node-1", "eu-west", 1, 40));
        send(inRegion("eu-node-2", "eu-west", 1, 40));
        NodeMetric third = inRegion("eu-node-3", "eu-west", 2, 40);
        send(third);
        send(inRegion("ap-node-1", "ap-southeast", 2, 40));
        // A region of its own is no way around the total.
        NodeMetric fourthRegion = inRegion("us-node-1", "us-east", 2, 40);
        send(fourthRegion);
        send(inRegion("eu-node-1", "eu-west", 3, 50));

        TestRecord<String, NodeMetric> dead = dlq.readRecord();
        assertThat(dead.value()).isEqualTo(third);
        assertThat(header(dead.headers(), DeadLetterHeaders.RULE)).isEqualTo("node-limit");
        assertThat(header(dead.headers(), DeadLetterHeaders.FIELD)).isEqualTo("nodeId");
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON)).contains("eu-west", "2 nodes", "eu-node-3");
        TestRecord<String, NodeMetric> overTotal = dlq.readRecord();
        assertThat(overTotal.value()).isEqualTo(fourthRegion);
        assertThat(header(overTotal.headers(), DeadLetterHeaders.RULE)).isEqualTo("node-limit");
        assertThat(header(overTotal.headers(), DeadLetterHeaders.REASON)).contains("all regions", "3 nodes");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(metrics.refused).containsExactly("http/node-limit", "http/node-limit");
        assertThat(inventory.readValuesToList()).extracting(FleetNode::nodeId)
                .containsExactly("eu-node-1", "eu-node-2", "ap-node-1");
        wallClockTo(15_200);
        assertThat(nodeResults.readValuesToList()).extracting(NodeUtilization::nodeId, NodeUtilization::sampleCount)
                .containsExactlyInAnyOrder(tuple("eu-node-1", 2), tuple("eu-node-2", 1), tuple("ap-node-1", 1));

        // Silent past left-after, the region's nodes are LEFT and forgotten: a new node is taken in again.
        wallClockTo(15_200 + defaults.liveness().leftAfter().toMillis() + 1_000);
        assertThat(inventory.readValuesToList()).filteredOn(node -> node.state() == NodeState.LEFT)
                .extracting(FleetNode::nodeId).contains("eu-node-1", "eu-node-2");
        long later = 15 + defaults.liveness().leftAfter().toSeconds() + 10;
        send(inRegion("eu-node-3", "eu-west", (int) later, 40));
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(inventory.readValue()).extracting(FleetNode::nodeId, FleetNode::state)
                .containsExactly("eu-node-3", NodeState.JOINED);
    }

    @Test
    void quietTopologyStillEmitsByWallClock() {
        send(gpu("node-a", 1, 40, 1_000, 30));

        wallClockTo(15_200);

        assertThat(nodeResults.getQueueSize()).isEqualTo(1);
        assertThat(metrics.nodeEmits.get()).isEqualTo(1);
    }

    private void send(NodeMetric sample) {
        RecordHeaders marked = new RecordHeaders();
        ValidatedBy.mark(marked, Door.HTTP);
        samples.pipeInput(new TestRecord<>(sample.nodeId(), sample, marked, sample.timestamp()));
    }

    /** Advances in the punctuation interval's steps, as a running application's wall clock would. */
    private void wallClockTo(long millisAfterT0) {
        while (driverWallClock < millisAfterT0) {
            long step = Math.min(200, millisAfterT0 - driverWallClock);
            driver.advanceWallClockTime(Duration.ofMillis(step));
            driverWallClock += step;
        }
    }

    private long driverWallClock;

    private static NodeUtilization utilization(String nodeId, int windowStartSecond, double gpuAvg) {
        Instant start = T0.plusSeconds(windowStartSecond);
        return new NodeUtilization(nodeId, "eu-west", "eu-west-1a", "gpu-core", Tier.CORE_GPU, "p5.48xlarge",
                CapacityType.ON_DEMAND, start, start.plusSeconds(10), 1, gpuAvg, gpuAvg, 0, 0, 0, 0, 0, null, null);
    }

    private static final String APSE_NODE = "gpu-apse1-0042";

    private static NodeMetric inRegion(String nodeId, String region, int second, double gpuUtil) {
        return new NodeMetric(nodeId, region, region + "-1a", "gpu-core", Tier.CORE_GPU, "p5.48xlarge",
                CapacityType.ON_DEMAND, T0.plusSeconds(second), 8, gpuUtil, 1_000, 80_000, 30, 40, 1e6, 2e6, null,
                null);
    }

    private static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static NodeMetric gpu(String nodeId, int second, double gpuUtil, long memUsedMiB, double cpuUtil) {
        return sample(nodeId, "gpu-core", Tier.CORE_GPU, second, gpuUtil, memUsedMiB, cpuUtil);
    }

    private static NodeMetric edge(String nodeId, int second, double cpuUtil) {
        return new NodeMetric(nodeId, "eu-west", "eu-west-1a", "edge", Tier.EDGE_CPU, "c7i.4xlarge",
                CapacityType.ON_DEMAND, T0.plusSeconds(second), 0, 0, 0, 0, cpuUtil, 40, 1e6, 2e6, null, null);
    }

    private static NodeMetric sample(String nodeId, String pool, Tier tier, int second, double gpuUtil,
            long memUsedMiB, double cpuUtil) {
        return new NodeMetric(nodeId, "eu-west", "eu-west-1a", pool, tier, "p5.48xlarge", CapacityType.ON_DEMAND,
                T0.plusSeconds(second), 8, gpuUtil, memUsedMiB, 80_000, cpuUtil, 40, 1e6, 2e6, null, null);
    }

    static final class CountingMetrics implements WindowMetrics {
        final AtomicInteger lateSamples = new AtomicInteger();
        final AtomicInteger lateNodeResults = new AtomicInteger();
        final AtomicInteger nodeEmits = new AtomicInteger();
        final AtomicInteger poolEmits = new AtomicInteger();
        /** {@code door/rule} per refused sample. */
        final List<String> refused = new CopyOnWriteArrayList<>();

        @Override
        public void lateSampleDropped() {
            lateSamples.incrementAndGet();
        }

        @Override
        public void nodeWindowEmitted(Duration afterClose) {
            nodeEmits.incrementAndGet();
        }

        @Override
        public void poolWindowEmitted(Duration afterClose) {
            poolEmits.incrementAndGet();
        }

        @Override
        public void lateNodeResultDropped() {
            lateNodeResults.incrementAndGet();
        }

        @Override
        public void sampleRefused(String door, String rule) {
            refused.add(door + "/" + rule);
        }
    }
}
