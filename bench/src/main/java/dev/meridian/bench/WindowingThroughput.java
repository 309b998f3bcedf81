package dev.meridian.bench;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.intake.ValidatedBy;
import dev.meridian.ingest.intake.Verdict;
import dev.meridian.ingest.metrics.MicrometerIntakeMetrics;
import dev.meridian.ingest.streams.RawIntake;
import dev.meridian.ingest.streams.IngestTopology;
import dev.meridian.ingest.streams.TopologySettings;
import dev.meridian.ingest.streams.WindowMetrics;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import dev.meridian.testkit.kafka.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.apache.kafka.streams.StreamsConfig;

/**
 * Windowing throughput, measured end to end: preload N samples into {@code meridian.metrics.raw.v1}, then time (1) a
 * plain consumer reading, validating and folding them into a HashMap and (2) the real metrics-ingest topology
 * draining them — the intake (validation), then node windows, inventory and pool windows, exactly-once — on the same
 * broker in the same run.
 *
 * <pre>bench/run WindowingThroughput [samples, default 500000] [nodes, default 5000] [raw|http, default raw]
 *                                [warm-up samples, default 200000]</pre>
 *
 * <p>Two rounds: the warm-up round runs both on its own samples so that the JIT has compiled the code paths of
 * both — the topology's are many (Streams, producer, transactions, the broker's side of them) and on two busy cores
 * their compilation took a quarter of the machine for two minutes; the measured round preloads N more samples,
 * reads them with a new plain consumer and restarts the topology under the same application id (as a redeployed
 * service would) to drain them. Only the measured round is the figure.
 *
 * <p>With {@code http} the samples are preloaded as the HTTP door writes them (marked validated): the intake only
 * parses them, so the split against the default (agents' unmarked samples, validated in the intake) shows what the
 * checks cost.
 */
public final class WindowingThroughput {

    private static final String STREAMS_OVERRIDE = "bench.streams.";

    private WindowingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        boolean doorValidated = args.length > 2 && args[2].equals("http");
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
        String input = TopicCatalog.METRICS_RAW;
        try (KafkaCluster kafka = KafkaCluster.builder().name("bench").createCatalogTopics(true).start();
                Admin admin = kafka.admin()) {
            Round round = new Round(kafka, admin, input, nodes, doorValidated, "bench-ingest-" + UUID.randomUUID(),
                    Files.createTempDirectory("bench-streams").toString());
            if (warmUp > 0) {
                System.out.println("-- warm-up round (not the figure)");
                round.run(warmUp);
            }
            System.out.println("-- measured round");
            Result result = round.run(samples);
            System.out.printf("ratio topology / plain consumer = %.2f (target ≥ 0.50); topology ≥ 100k/s: %s; "
                    + "CPU per sample %.1f × the plain consumer's%n", result.topology() / result.plain(),
                    result.topology() >= 100_000 ? "yes" : "no", result.cpuMultiple());
            System.out.println("after the run: " + Footprint.now());
        }
    }

    /** Rates in samples/s; CPU per sample of the topology as a multiple of the plain consumer's. */
    private record Result(double plain, double topology, double cpuMultiple) {
    }

    private record Round(KafkaCluster kafka, Admin admin, String input, int nodes, boolean doorValidated,
            String applicationId, String stateDir) {

        Result run(int samples) throws Exception {
            Map<TopicPartition, Long> before = endOffsets(admin, input);
            long preloadStart = System.nanoTime();
            preload(kafka.bootstrapServers(), input, samples, nodes, Instant.now(), doorValidated);
            System.out.printf("preloaded %,d samples from %,d nodes in %.1f s; %s%n", samples, nodes,
                    seconds(preloadStart), Footprint.now());

            Timing plain = plainConsumer(kafka.bootstrapServers(), before, samples);
            System.out.printf("plain consumer (deserialize + validate): %,.0f samples/s, %s; %s%n",
                    plain.rate(samples), plain.cpu(samples), Footprint.now());

            CountingWindowMetrics metrics = new CountingWindowMetrics();
            Timing topology = topology(kafka, admin, applicationId, stateDir, doorValidated, metrics);
            System.out.printf("metrics-ingest topology (%s, exactly-once): %,.0f samples/s, %s; %s%n",
                    doorValidated ? "door-validated samples: parsed, windowed" : "agents' samples: validated, windowed",
                    topology.rate(samples), topology.cpu(samples), Footprint.now());
            // A sample dropped as late skips the windowing work: the figure counts only if none was.
            System.out.printf("samples dropped as late: %,d; ratio %.2f; load average %s%n", metrics.late.get(),
                    topology.rate(samples) / plain.rate(samples), loadAverage());
            return new Result(plain.rate(samples), topology.rate(samples),
                    topology.cpuSeconds() / plain.cpuSeconds());
        }
    }

    /**
     * Wall-clock time of a phase, the CPU time of the whole JVM in it — broker, compiler and GC included — and that
     * of the threads doing the phase's own work (the plain consumer's, or the stream threads). CPU time, unlike the
     * rate, barely depends on what else the machine is running.
     */
    private record Timing(double seconds, double cpuSeconds, double workerCpuSeconds) {

        double rate(int samples) {
            return samples / seconds;
        }

        String cpu(int samples) {
            return String.format("CPU per 1,000 samples %.1f ms (JVM), %.1f ms (its own threads)",
                    cpuSeconds * 1e6 / samples, workerCpuSeconds * 1e6 / samples);
        }
    }

    /** Measures from construction to {@link #stop()}: wall clock, JVM CPU, and the CPU of the given threads. */
    private static final class Stopwatch {

        private final long startNanos = System.nanoTime();
        private final long startCpu = processCpuNanos();
        private final List<Thread> workers;
        private final long startWorkerCpu;

        Stopwatch(List<Thread> workers) {
            this.workers = workers;
            this.startWorkerCpu = cpuNanos(workers);
        }

        Timing stop() {
            return new Timing(seconds(startNanos), (processCpuNanos() - startCpu) / 1e9,
                    (cpuNanos(workers) - startWorkerCpu) / 1e9);
        }

        private static long cpuNanos(List<Thread> threads) {
            ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            return threads.stream().mapToLong(t -> Math.max(0, bean.getThreadCpuTime(t.getId()))).sum();
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    /** One sample per node in turn, all stamped inside one (long) window so none arrives late. */
    private static void preload(String bootstrap, String topic, int samples, int nodes, Instant stamp,
            boolean doorValidated) throws Exception {
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
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, nodeId, ContractJson.write(sample));
                if (doorValidated) {
                    ValidatedBy.mark(record.headers(), Door.HTTP);
                }
                producer.send(record);
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code samples} records from {@code from} on as the intake does — {@code read_committed}, the same
     * validation (contract rules and clock skew) — and folds each into a per-node sum in a HashMap: the least any
     * windowing must do per sample, without Streams, state stores or transactions.
     */
    private static Timing plainConsumer(String bootstrap, Map<TopicPartition, Long> from, int samples) {
        SampleValidator validator = new SampleValidator(Clock.systemUTC(), Duration.ofSeconds(5));
        Map<String, double[]> folded = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Stopwatch stopwatch = new Stopwatch(List.of(Thread.currentThread()));
            long checksum = 0;
            int read = 0;
            while (read < samples) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (validator.validate(record.value()) instanceof Verdict.Accepted<NodeMetric> sample) {
                        NodeMetric metric = sample.value();
                        double[] sums = folded.computeIfAbsent(metric.nodeId(), node -> new double[2]);
                        sums[0] += metric.gpuUtil();
                        sums[1]++;
                        checksum += metric.gpuCount();
                    }
                    read++;
                }
            }
            Timing timing = stopwatch.stop();
            if (checksum == 42) {
                System.out.println("(checksum " + checksum + ")");
            }
            return timing;
        }
    }

    /**
     * Starts the topology under {@code applicationId} and waits until it has drained its inputs.
     *
     * @return the time from RUNNING to drained
     */
    private static Timing topology(KafkaCluster kafka, Admin admin, String applicationId, String stateDir,
            boolean doorValidated, WindowMetrics metrics) throws Exception {
        // Windows close by wall clock: a grace longer than the run keeps every preloaded sample's window open, so
        // each one is folded into its window rather than dropped as late (which would skip the windowing work).
        TumblingWindows windows = new TumblingWindows(Duration.ofMinutes(1), Duration.ofHours(1));
        TopologySettings settings = new TopologySettings(windows, new NodeLiveness(windows, 3, Duration.ofHours(2)),
                Duration.ofMillis(200), Duration.ofMillis(500));
        RawIntake.Settings intake = new RawIntake.Settings(
                new SampleValidator(Clock.systemUTC(), Duration.ofSeconds(5)),
                new MicrometerIntakeMetrics(new SimpleMeterRegistry()), "/bench", Duration.ofMinutes(2));

        Properties props = new Properties();
        // The service's settings (services/metrics-ingest application.properties).
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                System.getProperty("bench.guarantee", StreamsConfig.EXACTLY_ONCE_V2));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("bench.threads", 1));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 64 * 1024);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        // To try a setting: -Dbench.streams.<Kafka Streams property>=<value>, e.g. -Dbench.streams.producer.batch.size.
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(STREAMS_OVERRIDE))
                .forEach(name -> props.put(name.substring(STREAMS_OVERRIDE.length()), System.getProperty(name)));
        // Not a service setting: the measured round's restart then waits seconds, not 45, for the warm-up
        // round's member (Streams does not leave the group on close) to time out. The timer starts at RUNNING.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_500);

        try (KafkaStreams streams = new KafkaStreams(IngestTopology.build(intake, settings, metrics), props)) {
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
            Stopwatch stopwatch = new Stopwatch(Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(applicationId) && t.getName().matches(".*-StreamThread-\\d+"))
                    .toList());
            // Drained = the application has committed the end of its one input. Every preloaded sample is keyed by its
            // node, so the intake writes nothing back to raw and the end is final.
            awaitCommitted(admin, applicationId, TopicCatalog.METRICS_RAW, 0);
            return stopwatch.stop();
        }
    }

    private static void awaitCommitted(Admin admin, String group, String topic, int slack) throws Exception {
        long end = endOffsets(admin, topic).values().stream().mapToLong(Long::longValue).sum();
        while (committed(admin, group, topic) < end - slack) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** Counts late samples; the rest is not needed here. */
    private static final class CountingWindowMetrics implements WindowMetrics {

        private final AtomicLong late = new AtomicLong();

        @Override
        public void lateSampleDropped() {
            late.incrementAndGet();
        }

        @Override
        public void nodeWindowEmitted(Duration afterClose) {
        }

        @Override
        public void poolWindowEmitted(Duration afterClose) {
        }

        @Override
        public void lateNodeResultDropped() {
        }

        @Override
        public void sampleRefused(String door, String rule) {
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
