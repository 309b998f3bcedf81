package dev.meridian.bench;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.metrics.MicrometerIntakeMetrics;
import dev.meridian.ingest.streams.IngestTopology;
import dev.meridian.ingest.streams.RawIntake;
import dev.meridian.ingest.streams.TopologySettings;
import dev.meridian.ingest.streams.WindowMetrics;
import dev.meridian.testkit.kafka.KafkaCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The metrics-ingest topology as the service runs it, on the benchmark's broker, under its own application id. */
final class IngestUnderTest implements AutoCloseable {

    // ==== metrics-ingest's Kafka Streams settings ===================================================================
    // The kafka-streams.* lines of services/metrics-ingest/src/main/resources/application.properties, keys without the
    // prefix: change them together (a run warns when they differ). -Dbench.guarantee=<guarantee> and
    // -Dbench.streams.<key>=<value> override them for one run.
    private static final Map<String, String> SERVICE_STREAMS_SETTINGS = Map.of(
            "processing.guarantee", "exactly_once_v2",
            "commit.interval.ms", "1000",
            "num.stream.threads", "1",
            "deserialization.exception.handler", "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler",
            "statestore.cache.max.bytes", "16777216",
            "producer.batch.size", "65536");
    // And the intake's (meridian.ingest.intake.*): ce_source and gpu-max-age.
    private static final String SERVICE_CE_SOURCE = "/meridian/metrics-ingest";
    private static final Duration SERVICE_GPU_MAX_AGE = Duration.ofMinutes(2);
    // ================================================================================================================

    private static final String SERVICE_PROPERTIES =
            "services/metrics-ingest/src/main/resources/application.properties";
    private static final String SERVICE_PREFIX = "kafka-streams.";
    private static final String STREAMS_OVERRIDE = "bench.streams.";
    /** Group membership and identity: the plain consumer assigns itself its partitions, without Streams' assignor. */
    private static final Set<String> MEMBERSHIP = Set.of(ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
            ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            ConsumerConfig.CLIENT_ID_CONFIG);

    private final String applicationId;
    private final Properties properties;
    private final KafkaStreams streams;
    private final Path stateDir;
    final Counting metrics;

    private IngestUnderTest(String applicationId, Properties properties, KafkaStreams streams, Path stateDir,
            Counting metrics) {
        this.applicationId = applicationId;
        this.properties = properties;
        this.streams = streams;
        this.stateDir = stateDir;
        this.metrics = metrics;
    }

    /**
     * Starts the topology and waits until it runs.
     *
     * @param paused whether it is paused once running: processes nothing, punctuates nothing, until {@link #resume()}
     */
    static IngestUnderTest start(KafkaCluster kafka, String name, TopologySettings settings, boolean paused)
            throws Exception {
        String applicationId = "meridian-metrics-ingest-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path stateDir = Files.createTempDirectory("windowing-throughput");
        Properties properties = streamsProperties(applicationId, kafka.bootstrapServers(), stateDir);
        Counting metrics = new Counting();
        KafkaStreams streams = new KafkaStreams(IngestTopology.build(intakeSettings(), settings, metrics), properties);
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        IngestUnderTest topology = new IngestUnderTest(applicationId, properties, streams, stateDir, metrics);
        streams.start();
        if (!running.await(2, TimeUnit.MINUTES)) {
            KafkaStreams.State state = streams.state();
            topology.close();
            throw new IllegalStateException("the topology did not reach RUNNING: " + state);
        }
        // Only once running: started paused, the topology never reached RUNNING (Kafka Streams 4.1).
        if (paused) {
            streams.pause();
        }
        return topology;
    }

    /** The service's intake settings; validation against the service's grace, as its validator bean does. */
    private static RawIntake.Settings intakeSettings() {
        return new RawIntake.Settings(validator(), new MicrometerIntakeMetrics(new SimpleMeterRegistry()),
                SERVICE_CE_SOURCE, SERVICE_GPU_MAX_AGE);
    }

    /** The service's sample validation: contract rules, and clock skew up to its window grace. */
    static SampleValidator validator() {
        return new SampleValidator(Clock.systemUTC(), TopologySettings.defaults().windows().grace());
    }

    private static Properties streamsProperties(String applicationId, String bootstrap, Path stateDir) {
        Properties props = new Properties();
        props.putAll(SERVICE_STREAMS_SETTINGS);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        String guarantee = System.getProperty("bench.guarantee");
        if (guarantee != null) {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        }
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(STREAMS_OVERRIDE))
                .forEach(name -> props.put(name.substring(STREAMS_OVERRIDE.length()), System.getProperty(name)));
        return props;
    }

    /** The Streams settings this run sets (the service's, with any overrides): what a figure was measured with. */
    static String describeSettings() {
        Properties properties = streamsProperties("-", "-", Path.of("-"));
        List.of(StreamsConfig.APPLICATION_ID_CONFIG, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                StreamsConfig.STATE_DIR_CONFIG).forEach(properties::remove);
        return new TreeMap<>(properties).toString();
    }

    /**
     * The kafka-streams.* settings of the service's application.properties that differ from the mirror above, when
     * the benchmark runs from a checkout (bench/target/benchmarks.jar): empty when in sync or not found.
     */
    static List<String> outOfSyncWithService() {
        Path properties;
        try {
            Path jar = Path.of(IngestUnderTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            properties = jar.toAbsolutePath().getParent().getParent().getParent().resolve(SERVICE_PROPERTIES);
        } catch (Exception e) {
            return List.of();
        }
        if (!Files.isRegularFile(properties)) {
            return List.of();
        }
        Properties service = new Properties();
        try (InputStream in = Files.newInputStream(properties)) {
            service.load(in);
        } catch (IOException e) {
            return List.of("cannot read " + properties + ": " + e);
        }
        Map<String, String> inService = new HashMap<>();
        service.stringPropertyNames().stream().filter(key -> key.startsWith(SERVICE_PREFIX))
                .forEach(key -> inService.put(key.substring(SERVICE_PREFIX.length()), service.getProperty(key)));
        List<String> differences = new ArrayList<>();
        inService.forEach((key, value) -> {
            if (!value.equals(SERVICE_STREAMS_SETTINGS.get(key))) {
                differences.add(SERVICE_PREFIX + key + "=" + value + " (benchmark: "
                        + SERVICE_STREAMS_SETTINGS.getOrDefault(key, "not set") + ")");
            }
        });
        SERVICE_STREAMS_SETTINGS.keySet().stream().filter(key -> !inService.containsKey(key))
                .forEach(key -> differences.add(SERVICE_PREFIX + key + " is no longer in the service"));
        return differences.stream().sorted().toList();
    }

    /**
     * What the plain consumer reads with: the stream thread's main consumer settings (fetch sizes, max.poll.records)
     * as Kafka Streams derives them from these properties, read_committed, without the group membership.
     */
    Map<String, Object> plainConsumerConfig() {
        Map<String, Object> config = new HashMap<>(new StreamsConfig(properties)
                .getMainConsumerConfigs(applicationId, CpuUsage.PLAIN_THREAD, 0));
        config.keySet().retainAll(ConsumerConfig.configNames());
        config.keySet().removeAll(MEMBERSHIP);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, CpuUsage.PLAIN_THREAD);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    String applicationId() {
        return applicationId;
    }

    void pause() {
        streams.pause();
    }

    void resume() {
        streams.resume();
    }

    /**
     * Raw records behind the stream thread's consumer position, summed over partitions: Kafka's own consumer lag
     * ({@code records-lag}, what the service's MeridianIngestLag alert reads). Committed offsets trail it by up to a
     * commit interval by design, so they would measure the commit interval rather than whether the topology keeps up.
     */
    long consumerLag() {
        return (long) streams.metrics().values().stream()
                .filter(m -> m.metricName().group().equals("consumer-fetch-manager-metrics")
                        && m.metricName().name().equals("records-lag")
                        && TopicCatalog.METRICS_RAW.equals(m.metricName().tags().get("topic"))
                        && m.metricName().tags().getOrDefault("client-id", "").matches(".*-StreamThread-\\d+-consumer"))
                .mapToDouble(m -> m.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())
                        ? n.doubleValue() : 0)
                .sum();
    }

    /** Waits until the topology has committed {@code ends} of the raw topic: it has processed up to there. */
    void awaitCommitted(Admin admin, Map<TopicPartition, Long> ends, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Offsets.reached(Offsets.committed(admin, applicationId, TopicCatalog.METRICS_RAW), ends)) {
            if (streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
                throw new IllegalStateException("the topology stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the topology did not commit the end of raw within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(25);
        }
    }

    @Override
    public void close() {
        streams.close(Duration.ofMinutes(1));
        streams.cleanUp();
        try {
            Files.deleteIfExists(stateDir);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** What the windowing reports: late drops and refusals counted, node-window emission delays kept. */
    static final class Counting implements WindowMetrics {

        final AtomicLong late = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        private final List<Long> emissionMillis = new ArrayList<>();

        /** The emission delays (ms after close) of the node windows since the last call. */
        synchronized List<Long> drainEmissionMillis() {
            List<Long> drained = List.copyOf(emissionMillis);
            emissionMillis.clear();
            return drained;
        }

        @Override
        public void lateSampleDropped() {
            late.incrementAndGet();
        }

        @Override
        public synchronized void nodeWindowEmitted(Duration afterClose) {
            emissionMillis.add(afterClose.toMillis());
        }

        @Override
        public void poolWindowEmitted(Duration afterClose) {
        }

        @Override
        public void lateNodeResultDropped() {
        }

        @Override
        public void sampleRefused(String door, String rule) {
            refused.incrementAndGet();
        }
    }
}
