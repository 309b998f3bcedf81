package dev.meridian.multiregion;

import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.metrics.MicrometerIntakeMetrics;
import dev.meridian.ingest.streams.RawIntake;
import dev.meridian.ingest.streams.IngestTopology;
import dev.meridian.ingest.streams.TopologySettings;
import dev.meridian.ingest.streams.WindowMetrics;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import dev.meridian.scheduler.config.SchedulerConfig;
import dev.meridian.scheduler.messaging.DecisionLoop;
import dev.meridian.scheduler.metrics.MicrometerSchedulerMetrics;
import dev.meridian.scheduler.routing.RouteTables;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * One region's copy of Meridian, in this JVM, against its own cluster: the metrics-ingest topology (built by the
 * service's own {@link IngestTopology#build}) and the scheduler's routing loop ({@link DecisionLoop},
 * the very bean Quarkus starts), configured through the service's own {@link SchedulerConfig} mapping and property
 * names.
 *
 * <p>Why in-process rather than the packaged services as child JVMs: six Quarkus JVMs (~150 MB and 2–3 s of start
 * each) next to three brokers and MirrorMaker on two cores would cost more than the whole test, and the classes run
 * here are exactly those the services run; only the HTTP doors and the REST API are left out, and the tests need
 * neither (samples enter through the Kafka door, weights are read from the topic).
 */
final class RegionServices implements AutoCloseable {

    private final String region;
    private final KafkaStreams ingest;
    private final DecisionLoop scheduler;

    private RegionServices(String region, KafkaStreams ingest, DecisionLoop scheduler) {
        this.region = region;
        this.ingest = ingest;
        this.scheduler = scheduler;
    }

    static RegionServices start(String region, String bootstrapServers) {
        KafkaStreams ingest = startIngest(region, bootstrapServers);
        DecisionLoop scheduler = new DecisionLoop(schedulerConfig(region), bootstrapServers, new RouteTables(),
                new MicrometerSchedulerMetrics(new SimpleMeterRegistry()));
        scheduler.start();
        return new RegionServices(region, ingest, scheduler);
    }

    /**
     * The scheduler's properties, as application.properties (or -D flags in the sandbox) would give them: the home
     * region is the cluster's own region; everything else as in production but on the short test windows.
     */
    static Map<String, String> schedulerProperties(String region) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("meridian.scheduler.home-regions", region);
        props.put("meridian.scheduler.source", "/meridian/scheduler/" + region);
        props.put("meridian.scheduler.tick", "500ms");
        props.put("meridian.scheduler.topic-discovery", "1s");
        props.put("meridian.scheduler.routing.interval", "2s");
        props.put("meridian.scheduler.routing.heartbeat", "20s");
        props.put("meridian.scheduler.routing.staleness-timeout", Regions.STALENESS_TIMEOUT.toMillis() + "ms");
        return props;
    }

    private static SchedulerConfig schedulerConfig(String region) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SchedulerConfig.class)
                // Quarkus' converter: "500ms", "2s" as in application.properties.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(schedulerProperties(region), "multi-region " + region, 500))
                .build();
        return config.getConfigMapping(SchedulerConfig.class);
    }

    private static KafkaStreams startIngest(String region, String bootstrapServers) {
        TumblingWindows windows = new TumblingWindows(Regions.WINDOW, Regions.GRACE);
        TopologySettings settings = new TopologySettings(windows, new NodeLiveness(windows, 3, Duration.ofMinutes(5)),
                Duration.ofMillis(200), Duration.ofMillis(500));
        RawIntake.Settings intake = new RawIntake.Settings(new SampleValidator(Clock.systemUTC(), windows.grace()),
                new MicrometerIntakeMetrics(new SimpleMeterRegistry()), "/meridian/metrics-ingest/" + region,
                Duration.ofMinutes(2))
                // The opt-in tap on: the wire scan checks it carries only the region's own nodes too.
                .withNodeTopicTap(true);
        Properties props = new Properties();
        // The service's own settings (services/metrics-ingest application.properties).
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "meridian-metrics-ingest");
        props.put(StreamsConfig.CLIENT_ID_CONFIG, "meridian-metrics-ingest-" + region);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(region));
        KafkaStreams streams = new KafkaStreams(IngestTopology.build(intake, settings, WindowMetrics.NONE),
                props);
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        try {
            if (!running.await(60, TimeUnit.SECONDS)) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException(region + ": metrics-ingest did not reach RUNNING in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(region + ": interrupted while starting metrics-ingest", e);
        }
        return streams;
    }

    private static String stateDir(String region) {
        try {
            return Files.createTempDirectory(Path.of("target"), "streams-" + region + "-").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String region() {
        return region;
    }

    /** Whether the scheduler has read the registry, its last versions and its inputs, and routes. */
    boolean schedulerReady() {
        return scheduler.isReady();
    }

    @Override
    public void close() {
        scheduler.stop();
        ingest.close(Duration.ofSeconds(10));
    }
}
