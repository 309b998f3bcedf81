package dev.meridian.bench;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.IntakeMetrics;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.streams.RawIntake;
import dev.meridian.ingest.streams.TopologyProducer;
import dev.meridian.ingest.streams.TopologySettings;
import dev.meridian.ingest.streams.WindowMetrics;
import dev.meridian.ingest.streams.WindowedUtilization;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import dev.meridian.testkit.kafka.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Windowing throughput, the brief's way: preload N samples into {@code meridian.metrics.raw.v1}, then time (1) a
 * plain consumer reading and deserializing them and (2) the real metrics-ingest topology draining them — raw
 * intake with validation, then node windows, inventory and pool windows — on the same broker in the same run.
 *
 * <pre>bench/run WindowingThroughput [samples, default 500000] [nodes, default 5000] [raw|node, default raw]</pre>
 *
 * With {@code node} the samples are preloaded into {@code meridian.metrics.node.v1} and only the windowing part
 * runs (node windows, inventory, pool windows): the split shows where the time goes.
 */
public final class WindowingThroughput {

    private WindowingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        boolean windowingOnly = args.length > 2 && args[2].equals("node");
        String input = windowingOnly ? TopicCatalog.METRICS_NODE : TopicCatalog.METRICS_RAW;
        try (KafkaCluster kafka = KafkaCluster.builder().name("bench").createCatalogTopics(true).start()) {
            Instant stamp = Instant.now();
            long preloadStart = System.nanoTime();
            preload(kafka.bootstrapServers(), input, samples, nodes, stamp);
            System.out.printf("preloaded %,d samples from %,d nodes in %.1f s; %s%n", samples, nodes,
                    seconds(preloadStart), Footprint.now());

            double plain = plainConsumer(kafka.bootstrapServers(), input, samples);
            System.out.printf("plain consumer (deserialize + validate): %,.0f samples/s%n", plain);

            double topology = topology(kafka, samples, windowingOnly);
            System.out.printf("metrics-ingest topology (%s, exactly-once): %,.0f samples/s%n",
                    windowingOnly ? "node/pool windows only, from metrics.node" : "intake + node/pool windows",
                    topology);
            System.out.printf("ratio topology / plain consumer = %.2f (target ≥ 0.50); topology ≥ 100k/s: %s%n",
                    topology / plain, topology >= 100_000 ? "yes" : "no");
            System.out.println("after the run: " + Footprint.now());
        }
    }

    /** One sample per node in turn, all stamped inside one (long) window so none arrives late. */
    private static void preload(String bootstrap, String topic, int samples, int nodes, Instant stamp)
            throws Exception {
        String[] regions = {"us-east", "us-west", "eu-west", "eu-central", "ap-southeast"};
        SplittableRandom random = new SplittableRandom(7);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.ACKS_CONFIG, "1"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < samples; i++) {
                int node = i % nodes;
                String region = regions[node % regions.length];
                String nodeId = region + "-node-" + node;
                NodeMetric sample = new NodeMetric(nodeId, region, region + "-a", "gpu-core", Tier.CORE_GPU,
                        "p5.48xlarge", CapacityType.ON_DEMAND, stamp.minusMillis(random.nextInt(1_000)), 8,
                        random.nextDouble(100), random.nextLong(80_000), 80_000, random.nextDouble(100),
                        random.nextDouble(100), 1e6, 2e6, null, null);
                producer.send(new ProducerRecord<>(topic, nodeId, ContractJson.write(sample)));
            }
            producer.flush();
        }
    }

    private static double plainConsumer(String bootstrap, String topic, int samples) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-plain-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long start = System.nanoTime();
            long checksum = 0;
            int read = 0;
            while (read < samples) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    checksum += ContractJson.read(record.value(), NodeMetric.class).gpuCount();
                    read++;
                }
            }
            double rate = samples / seconds(start);
            if (checksum == 42) {
                System.out.println("(checksum " + checksum + ")");
            }
            return rate;
        }
    }

    private static double topology(KafkaCluster kafka, int samples, boolean windowingOnly) throws Exception {
        TumblingWindows windows = new TumblingWindows(Duration.ofMinutes(1), Duration.ofSeconds(5));
        TopologySettings settings = new TopologySettings(windows, new NodeLiveness(windows, 3, Duration.ofMinutes(10)),
                Duration.ofMillis(200), Duration.ofMillis(500));
        RawIntake.Settings intake = new RawIntake.Settings(
                new SampleValidator(Clock.systemUTC(), Duration.ofSeconds(5)),
                new IntakeMetrics(new SimpleMeterRegistry()), "/bench", Duration.ofMinutes(2));

        String applicationId = "bench-ingest-" + UUID.randomUUID();
        Properties props = new Properties();
        // The service's settings (services/metrics-ingest application.properties).
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                System.getProperty("bench.guarantee", StreamsConfig.EXACTLY_ONCE_V2));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("bench.threads", 1));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-streams").toString());

        try (Admin admin = kafka.admin();
                KafkaStreams streams = new KafkaStreams(
                        windowingOnly ? windowingOnly(settings) : TopologyProducer.buildTopology(intake, settings,
                                WindowMetrics.NONE), props)) {
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("topology did not reach RUNNING");
            }
            long start = System.nanoTime();
            // Drained = the application has committed the end of both its inputs: raw (intake) and node (windows).
            while ((!windowingOnly && committed(admin, applicationId, TopicCatalog.METRICS_RAW) < samples)
                    || committed(admin, applicationId, TopicCatalog.METRICS_NODE) < samples) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return samples / seconds(start);
        }
    }

    private static Topology windowingOnly(TopologySettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        WindowedUtilization.addTo(builder, settings, WindowMetrics.NONE);
        return builder.build();
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
