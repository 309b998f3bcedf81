package dev.meridian.fleetsim.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.Region;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The closed loop on a real broker. Two regions of zone US with a GPU pool of two g5.48xlarge (5,000 tokens/s)
 * each; us-east clients ask for 4,000 tokens/s, us-west clients for nothing. Compression 17 makes the 85 s cold start
 * 5 s of wall-clock time.
 */
class FleetSimulatorIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    private static final double COMPRESSION = 17;

    @Test
    void scaleCommandsAndRoutingWeightsOnTheTopicsShapeTheSamples() throws Exception {
        String bootstrap = KAFKA.cluster().bootstrapServers();
        List<NodeMetric> samples = new CopyOnWriteArrayList<>();
        SimulationOptions options = SimulationOptions.defaults().withCompression(COMPRESSION)
                .withSpotInterruptions(0)
                .withTraffic((region, start, from, length) -> region.equals("us-east") ? 4_000 : 0, null);

        try (KafkaConsumer<String, byte[]> raw = reader(bootstrap, TopicCatalog.METRICS_RAW);
                KafkaProducer<String, byte[]> producer = producer(bootstrap);
                FleetSimulator simulator = FleetSimulator.start(bootstrap, FleetSimulatorIT::fleet, options)) {
            // 4,000 / 2 nodes / 5,000 = 40 % in us-east, 0 % in us-west
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                drain(raw, samples);
                assertThat(latest(samples, "us-east-gpu-0001")).hasValueSatisfying(
                        s -> assertThat(s.gpuUtil()).isCloseTo(40.0, within(1e-9)));
                assertThat(latest(samples, "us-west-gpu-0002")).hasValueSatisfying(
                        s -> assertThat(s.gpuUtil()).isZero());
            });

            Instant sent = Instant.now();
            producer.send(new ProducerRecord<>(TopicCatalog.SCALING_COMMANDS, "us-east/gpu",
                    ContractJson.write(scaleOut()))).get();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                drain(raw, samples);
                assertThat(first(samples, "us-east-gpu-0003")).isPresent();
            });
            // 85 s / 17 = 5 s after the command was applied, which is after it was sent; samples every second
            Instant joined = first(samples, "us-east-gpu-0003").orElseThrow().timestamp();
            assertThat(joined).isAfterOrEqualTo(sent.plusSeconds(5)).isBefore(sent.plusSeconds(5 + 3));
            assertThat(simulator.stats().commandsApplied()).isEqualTo(1);

            // 4,000 / 3 nodes / 5,000 = 26.67 %
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                drain(raw, samples);
                assertThat(latest(samples, "us-east-gpu-0001")).hasValueSatisfying(
                        s -> assertThat(s.gpuUtil()).isCloseTo(400.0 / 15, within(1e-9)));
            });

            // us-east clients now 1 : 3 to us-east : us-west: 1,000 / 3 / 5,000 = 6.67 % and 3,000 / 2 / 5,000 = 30 %
            producer.send(new ProducerRecord<>(TopicCatalog.ROUTING_WEIGHTS, "us-east",
                    ContractJson.write(weights()))).get();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                drain(raw, samples);
                assertThat(latest(samples, "us-east-gpu-0003")).hasValueSatisfying(
                        s -> assertThat(s.gpuUtil()).isCloseTo(20.0 / 3, within(1e-9)));
                assertThat(latest(samples, "us-west-gpu-0001")).hasValueSatisfying(
                        s -> assertThat(s.gpuUtil()).isCloseTo(30.0, within(1e-9)));
            });
            assertThat(simulator.stats().pools().get("us-east/gpu").serving()).isEqualTo(3);
            assertThat(simulator.stats().samplesSent()).isGreaterThanOrEqualTo(samples.size());
        }
    }

    @Test
    void latencyProbesCoverEveryPairWithCloudEventsHeaders() {
        String bootstrap = KAFKA.cluster().bootstrapServers();
        SimulationOptions options = SimulationOptions.defaults().withSpotInterruptions(0);
        List<ConsumerRecord<String, byte[]>> probes = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> latency = reader(bootstrap, TopicCatalog.LATENCY);
                FleetSimulator simulator = FleetSimulator.start(bootstrap, FleetSimulatorIT::fleet, options)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                latency.poll(Duration.ofMillis(200)).forEach(probes::add);
                assertThat(probes).extracting(ConsumerRecord::key)
                        .contains("us-east/us-east", "us-east/us-west", "us-west/us-east", "us-west/us-west");
            });
        }
        ConsumerRecord<String, byte[]> eastWest = probes.stream().filter(r -> r.key().equals("us-east/us-west"))
                .findFirst().orElseThrow();
        LatencyProbe probe = ContractJson.read(eastWest.value(), LatencyProbe.class);
        assertThat(probe.rttMs()).isEqualTo(86.98);
        assertThat(probe.source()).isEqualTo("fleet-sim");
        assertThat(CloudEventHeaders.read(eastWest.headers())).hasValueSatisfying(
                ce -> assertThat(ce.type()).isEqualTo("dev.meridian.latency.probe.v1"));
    }

    private static FleetSnapshot fleet() {
        List<Region> regions = List.of(new Region("us-east", "US", "us-east", "test", Instant.EPOCH),
                new Region("us-west", "US", "us-west", "test", Instant.EPOCH));
        List<NodePool> pools = regions.stream().map(r -> new NodePool(r.name(), "gpu", Tier.CORE_GPU, 2, 8, 0,
                List.of("g5.48xlarge"), CapacityType.ON_DEMAND, false, Criticality.CRITICAL, Map.of(), "test",
                Instant.EPOCH)).toList();
        return FleetSnapshot.of(regions, List.of(), pools, List.of(), List.of(), List.of());
    }

    private static ScaleCommand scaleOut() {
        return new ScaleCommand("us-east/gpu/SCALE_OUT/" + UUID.randomUUID(), "us-east", "gpu", ScaleAction.SCALE_OUT,
                null, Instant.now(), null, 2, 3, 1, "g5.48xlarge", null, CapacityType.ON_DEMAND, Criticality.CRITICAL,
                BudgetState.OK, false, List.of(), "test: one more node");
    }

    private static RoutingWeights weights() {
        return new RoutingWeights("us-east", 1, Instant.now(), false, List.of(new TierTable(Tier.CORE_GPU,
                List.of(new RegionWeight("us-east", 1, 3, 20, 1.5), new RegionWeight("us-west", 3, 2, 0, 86.98)),
                List.of(), null)), List.of());
    }

    private static Optional<NodeMetric> latest(List<NodeMetric> samples, String nodeId) {
        NodeMetric newest = null;
        for (NodeMetric sample : samples) {
            if (sample.nodeId().equals(nodeId)) {
                newest = sample;
            }
        }
        return Optional.ofNullable(newest);
    }

    private static Optional<NodeMetric> first(List<NodeMetric> samples, String nodeId) {
        return samples.stream().filter(s -> s.nodeId().equals(nodeId)).findFirst();
    }

    private static void drain(KafkaConsumer<String, byte[]> consumer, List<NodeMetric> into) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            into.add(ContractJson.read(record.value(), NodeMetric.class));
        }
    }

    /** Positioned at the end of every partition before it returns: what the simulator writes next is read. */
    private static KafkaConsumer<String, byte[]> reader(String bootstrap, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                new ByteArraySerializer());
    }
}
