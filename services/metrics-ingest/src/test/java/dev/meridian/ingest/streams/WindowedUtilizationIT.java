package dev.meridian.ingest.streams;

import static dev.meridian.testkit.security.Callers.as;
import static dev.meridian.testkit.security.Callers.everywhere;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeRef;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.ValidatedBy;
import dev.meridian.ingest.remotewrite.RemoteWritePayloads;
import dev.meridian.policy.window.TumblingWindows;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The windowing topology on a real broker, driven by the real wall clock. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class WindowedUtilizationIT {

    private static final TumblingWindows WINDOWS = TumblingWindows.DEFAULT;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void awaitReadiness() {
        // Readiness includes the Kafka Streams state: stores can be queried only once it is RUNNING.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void quietPartitionStillEmitsItsClosedWindowWithinOneSecond() {
        String nodeId = "quiet-" + UUID.randomUUID();
        Instant now = Instant.now();
        send(sample(nodeId, "gpu-quiet", now, 42.0));
        Instant closesAt = WINDOWS.closesAt(WINDOWS.startOf(now));

        try (KafkaConsumer<String, NodeUtilization> consumer = consumer(TopicCatalog.UTILIZATION_NODE,
                ContractSerdes.nodeUtilization().deserializer())) {
            ConsumerRecord<String, NodeUtilization> result = awaitRecord(consumer, nodeId, Duration.ofSeconds(30));
            Instant receivedAt = Instant.now();

            assertThat(result.value().gpuAvg()).isEqualTo(42.0);
            // Nothing else was written to that partition after the sample: only wall-clock punctuation emits.
            assertThat(Duration.between(closesAt, receivedAt))
                    .as("from window end + grace to the result on its topic")
                    .isLessThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void samplesBecomeNodeAndPoolWindowsQueryableOverRest() {
        String pool = "gpu-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        send(sample("a-" + pool, pool, now, 30.0));
        send(sample("b-" + pool, pool, now, 70.0));

        try (KafkaConsumer<String, PoolUtilization> consumer = consumer(TopicCatalog.UTILIZATION_POOL,
                ContractSerdes.poolUtilization().deserializer())) {
            PoolUtilization result = awaitRecord(consumer, "eu-west/" + pool, Duration.ofSeconds(30)).value();
            assertThat(result.nodeCount()).isEqualTo(2);
            assertThat(result.gpuAvg()).isEqualTo(50.0);
        }

        everywhere(Roles.VIEWER).get("/v1/utilization/pools/eu-west/{pool}", pool)
                .then().statusCode(200).body("gpuAvg", equalTo(50.0f)).body("nodeCount", equalTo(2));
        everywhere(Roles.VIEWER).get("/v1/utilization/nodes/{node}", "b-" + pool)
                .then().statusCode(200).body("gpuAvg", equalTo(70.0f));
    }

    @Test
    void samplesThroughTheHttpAndKafkaDoorsComeOutAsUtilization() {
        String viaHttp = "http-" + UUID.randomUUID();
        String viaKafka = "raw-" + UUID.randomUUID();
        Instant now = Instant.now();

        everywhere(Roles.AGENT).contentType("application/json")
                .body(ContractJson.writeString(List.of(sample(viaHttp, "gpu-doors", now, 64.0))))
                .post("/v1/metrics")
                .then().statusCode(202).body("accepted", equalTo(1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, viaKafka,
                    ContractJson.write(sample(viaKafka, "gpu-doors", now, 16.0))));
        }

        try (KafkaConsumer<String, NodeUtilization> consumer = consumer(TopicCatalog.UTILIZATION_NODE,
                ContractSerdes.nodeUtilization().deserializer())) {
            assertThat(awaitRecord(consumer, viaHttp, Duration.ofSeconds(30)).value().gpuAvg()).isEqualTo(64.0);
        }
        try (KafkaConsumer<String, NodeUtilization> consumer = consumer(TopicCatalog.UTILIZATION_NODE,
                ContractSerdes.nodeUtilization().deserializer())) {
            assertThat(awaitRecord(consumer, viaKafka, Duration.ofSeconds(30)).value().gpuAvg()).isEqualTo(16.0);
        }
    }

    @Test
    void unknownNodeOrPoolIsNotFoundAsProblemJson() {
        everywhere(Roles.VIEWER).get("/v1/utilization/nodes/{node}", "no-such-node")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        everywhere(Roles.VIEWER).get("/v1/utilization/pools/eu-west/{pool}", "no-such-pool")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aViewerReadsOnlyTheRegionsOfItsToken() {
        as(Roles.VIEWER, "eu-west").get("/v1/utilization/pools/ap-southeast/x")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));

        // A node of ap-southeast with a closed window on this instance, readable by a caller of every region...
        String node = "ap-" + UUID.randomUUID();
        send(sample(node, "ap-southeast", "gpu-far", Instant.now(), 12.0));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> everywhere(Roles.VIEWER).get("/v1/utilization/nodes/{node}", node).statusCode() == 200);

        // ...answers a viewer of eu-west exactly like a node that does not exist: its id cannot be probed.
        String unknown = "ap-" + UUID.randomUUID();
        Response hidden = as(Roles.VIEWER, "eu-west").get("/v1/utilization/nodes/{node}", node);
        Response missing = as(Roles.VIEWER, "eu-west").get("/v1/utilization/nodes/{node}", unknown);
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.contentType()).isEqualTo(missing.contentType());
        assertThat(hidden.asString().replace(node, "<node>")).isEqualTo(missing.asString().replace(unknown, "<node>"));
    }

    @Test
    void aRemoteWriteNodeWithOnlyKubernetesLabelsIsWindowed() {
        // What Prometheus sends after the README's relabeling: no tier, capacity type or Meridian region/zone labels.
        String run = UUID.randomUUID().toString().substring(0, 8);
        String node = "k8s-" + run;
        String[] target = {"node", node, "instance", node, "pool", "rw-" + run, "topology_kubernetes_io_region",
            "us-west-2", "topology_kubernetes_io_zone", "us-west-2b", "node_kubernetes_io_instance_type", "p5.48xlarge"};
        Instant now = Instant.now();
        long first = now.minusSeconds(2).toEpochMilli();
        long second = first + 1_000;
        double busy = 100.5;
        double idle = 100.5;
        double gpuUtil = 40;

        remoteWrite(scrape(target, first, 100, 100, 10));
        remoteWrite(scrape(target, second, busy, idle, gpuUtil));

        try (KafkaConsumer<String, NodeUtilization> consumer = consumer(TopicCatalog.UTILIZATION_NODE,
                ContractSerdes.nodeUtilization().deserializer())) {
            NodeUtilization window = awaitRecord(consumer, node, Duration.ofSeconds(30)).value();
            assertThat(window.ref()).isEqualTo(new NodeRef(node, "us-west-2", "us-west-2b", "rw-" + run,
                    Tier.CORE_GPU, "p5.48xlarge", CapacityType.ON_DEMAND));
            assertThat(window.sampleCount()).as("the first reading only primes the counters").isEqualTo(1);
            assertThat(window.gpuAvg()).isEqualTo(gpuUtil);
            assertThat(window.cpuAvg()).isEqualTo(100 * (busy - 100) / ((busy - 100) + (idle - 100)));
        }
    }

    /** One scrape of node_exporter (one CPU) and dcgm-exporter (one GPU) of the node {@code target} names. */
    private static byte[] scrape(String[] target, long at, double busySeconds, double idleSeconds, double gpuUtil) {
        String[] gpu = with(target, "gpu", "0", "modelName", "NVIDIA H100 80GB HBM3");
        return RemoteWritePayloads.request()
                .series("node_cpu_seconds_total", idleSeconds, at, with(target, "cpu", "0", "mode", "idle"))
                .series("node_cpu_seconds_total", busySeconds, at, with(target, "cpu", "0", "mode", "user"))
                .series("node_network_receive_bytes_total", 1e6, at, with(target, "device", "eth0"))
                .series("node_network_transmit_bytes_total", 1e6, at, with(target, "device", "eth0"))
                .series("node_memory_MemAvailable_bytes", 32e9, at, target)
                .series("node_memory_MemTotal_bytes", 64e9, at, target)
                .series("DCGM_FI_DEV_GPU_UTIL", gpuUtil, at, gpu)
                .series("DCGM_FI_DEV_FB_USED", 1_000, at, gpu)
                .series("DCGM_FI_DEV_FB_FREE", 80_000, at, gpu)
                .snappy();
    }

    private static String[] with(String[] labels, String... extra) {
        String[] all = Arrays.copyOf(labels, labels.length + extra.length);
        System.arraycopy(extra, 0, all, labels.length, extra.length);
        return all;
    }

    private static void remoteWrite(byte[] payload) {
        everywhere(Roles.AGENT).contentType("application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0").body(payload)
                .post("/api/v1/write")
                .then().statusCode(204);
    }

    private void send(NodeMetric sample) {
        try (KafkaProducer<String, NodeMetric> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), ContractSerdes.nodeMetric().serializer())) {
            // As the HTTP door writes a sample it validated: on metrics.raw, keyed by node, marked.
            ProducerRecord<String, NodeMetric> record = new ProducerRecord<>(TopicCatalog.METRICS_RAW, sample.nodeId(),
                    sample);
            ValidatedBy.mark(record.headers(), Door.HTTP);
            producer.send(record);
        }
    }

    private <V> KafkaConsumer<String, V> consumer(String topic, Deserializer<V> values) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static <V> ConsumerRecord<String, V> awaitRecord(KafkaConsumer<String, V> consumer, String key,
            Duration timeout) {
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        await().atMost(timeout).pollInterval(Duration.ofMillis(1)).until(() -> {
            consumer.poll(Duration.ofMillis(50)).forEach(r -> {
                if (key.equals(r.key())) {
                    found.add(r);
                }
            });
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private static NodeMetric sample(String nodeId, String pool, Instant at, double gpuUtil) {
        return sample(nodeId, "eu-west", pool, at, gpuUtil);
    }

    private static NodeMetric sample(String nodeId, String region, String pool, Instant at, double gpuUtil) {
        return new NodeMetric(nodeId, region, region + "-1a", pool, Tier.CORE_GPU, "p5.48xlarge",
                CapacityType.ON_DEMAND, at, 8, gpuUtil, 1_000, 80_000, 20, 30, 1e6, 1e6, null, null);
    }
}
