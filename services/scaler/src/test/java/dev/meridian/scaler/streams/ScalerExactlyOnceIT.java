package dev.meridian.scaler.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.StateStores;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.policy.scaling.PoolScalingState;
import dev.meridian.policy.scaling.ScalingSettings;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.scaler.Fleet;
import dev.meridian.scaler.metrics.MicrometerScalerMetrics;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The topology on a real broker with exactly-once processing: a crash in the middle of the stream and a full
 * restart of the service neither lose a command nor publish one twice (read committed, as every consumer of the
 * commands topic must).
 */
class ScalerExactlyOnceIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    private final List<KafkaStreams> running = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));

    @AfterEach
    void stop() {
        running.forEach(streams -> streams.close(Duration.ofSeconds(10)));
    }

    @Test
    void aCrashMidStreamLosesNoCommandAndRepeatsNone() {
        List<NodePool> pools = IntStream.range(0, 6).mapToObj(i -> pool("crash-" + run + "-" + i)).toList();
        FleetSnapshot fleet = fleet(pools);
        AtomicInteger reads = new AtomicInteger();
        // The 20th decision dies after earlier ones in the same transaction may already have forwarded commands:
        // the thread is replaced, the open transaction aborted and its inputs processed again from the last commit.
        Supplier<FleetSnapshot> crashingOnce = () -> {
            if (reads.incrementAndGet() == 20) {
                throw new IllegalStateException("simulated crash");
            }
            return fleet;
        };
        KafkaStreams streams = start(crashingOnce, "crash");

        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (NodePool pool : pools) {
                joined(producer, pool, 4, t0);
            }
            awaitNodesKnown(streams, 4 * pools.size());
            // windows 0..5 of every pool, interleaved: hot from window 0, so each pool scales out at window 2 and
            // then waits for the capacity (4 ready + 3 pending = 7 = ceil(4 × 95 / 60)) without asking again
            for (int k = 0; k < 6; k++) {
                for (NodePool pool : pools) {
                    send(producer, Fleet.window("us-east", pool.name(), t0, k, 95));
                }
            }
        }

        List<ScaleCommand> commands = committedCommands(pools, pools.size());

        assertThat(reads.get()).as("the crash happened").isGreaterThanOrEqualTo(20);
        assertThat(commands).extracting(ScaleCommand::commandId).containsExactlyInAnyOrderElementsOf(
                pools.stream().map(pool -> "us-east/" + pool.name() + "/SCALE_OUT/"
                        + Fleet.window("us-east", pool.name(), t0, 2, 95).windowEnd()).toList());
        assertThat(commands).allSatisfy(command -> {
            assertThat(command.action()).isEqualTo(ScaleAction.SCALE_OUT);
            assertThat(command.desiredNodes()).isEqualTo(7);
        });
    }

    @Test
    void aRestartedScalerResumesTheSustainCountWhereItStopped() {
        NodePool pool = pool("restart-" + run);
        FleetSnapshot fleet = fleet(List.of(pool));
        KafkaStreams first = start(() -> fleet, "restart");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            joined(producer, pool, 4, t0);
            awaitNodesKnown(first, 4);
            send(producer, Fleet.window("us-east", pool.name(), t0, 0, 95));
            send(producer, Fleet.window("us-east", pool.name(), t0, 1, 95));
        }
        // both windows processed before the instance goes away; a clean close commits them
        Instant secondWindowEnd = Fleet.window("us-east", pool.name(), t0, 1, 95).windowEnd();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> secondWindowEnd.equals(
                this.<PoolScalingState>store(first, StateStores.SCALER_POOLS).get("us-east/" + pool.name())
                        .lastWindowEnd()));
        // leaving the group lets the next instance take the partitions at once instead of after the session timeout
        first.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
        running.remove(first);

        start(() -> fleet, "restart");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // the third hot window completes the sustain period only if the first two survived the restart
            send(producer, Fleet.window("us-east", pool.name(), t0, 2, 95));
            send(producer, Fleet.window("us-east", pool.name(), t0, 2, 95));
        }

        List<ScaleCommand> commands = committedCommands(List.of(pool), 1);
        assertThat(commands).singleElement().satisfies(command -> {
            assertThat(command.commandId()).isEqualTo("us-east/" + pool.name() + "/SCALE_OUT/"
                    + Fleet.window("us-east", pool.name(), t0, 2, 95).windowEnd());
            assertThat(command.currentNodes()).isEqualTo(4);
            assertThat(command.desiredNodes()).isEqualTo(7);
        });
    }

    private KafkaStreams start(Supplier<FleetSnapshot> fleet, String name) {
        ScalerTopology.Settings settings = new ScalerTopology.Settings(fleet,
                ScalingSettings.DEFAULTS, Set.of("us-east"), Duration.ofMillis(200), "/test/scaler",
                Clock.systemUTC());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId(name));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.STATE_DIR_CONFIG, tempDir());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // the broker's minimum: a crashed thread's partitions move to its replacement within seconds
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        KafkaStreams streams = new KafkaStreams(ScalerTopology.build(settings, new MicrometerScalerMetrics(new SimpleMeterRegistry())), props);
        streams.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.REPLACE_THREAD);
        streams.start();
        running.add(streams);
        return streams;
    }

    private String appId(String name) {
        return "scaler-it-" + name + "-" + run;
    }

    /**
     * Inventory reaches the deciding task through the repartition topic, windows directly: a test that needs the
     * nodes known before the first window waits until the nodes store holds them.
     */
    private void awaitNodesKnown(KafkaStreams streams, int nodes) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            int count = 0;
            try (KeyValueIterator<String, NodeEntry> all = this.<NodeEntry>store(streams, StateStores.SCALER_NODES)
                    .all()) {
                while (all.hasNext()) {
                    all.next();
                    count++;
                }
            }
            return count >= nodes;
        });
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(KafkaStreams streams, String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    /** Reads committed commands of these pools until {@code expected} arrived, then a little longer for extras. */
    private List<ScaleCommand> committedCommands(List<NodePool> pools, int expected) {
        Set<String> keys = Set.copyOf(pools.stream().map(pool -> "us-east/" + pool.name()).toList());
        List<ScaleCommand> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TopicCatalog.SCALING_COMMANDS));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (keys.contains(record.key())) {
                        seen.add(ContractJson.read(record.value(), ScaleCommand.class));
                    }
                });
                return seen.size() >= expected;
            });
            // anything published twice would follow within a few commit intervals
            Instant until = Instant.now().plusSeconds(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (keys.contains(record.key())) {
                        seen.add(ContractJson.read(record.value(), ScaleCommand.class));
                    }
                });
                return Instant.now().isAfter(until);
            });
        }
        return seen;
    }

    private static NodePool pool(String name) {
        return Fleet.pool("us-east", name, 2, 16, 0, CapacityType.ON_DEMAND, Criticality.CRITICAL, Map.of());
    }

    private static FleetSnapshot fleet(List<NodePool> pools) {
        return FleetSnapshot.of(List.of(Fleet.region("us-east", "US")), List.of(), pools, List.of(), List.of(),
                List.of());
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Nodes serving since {@code since}: windows that end after it measured them. */
    private static void joined(KafkaProducer<String, byte[]> producer, NodePool pool, int count, Instant since) {
        for (int i = 1; i <= count; i++) {
            String id = pool.name() + "-n" + i;
            producer.send(new ProducerRecord<>(TopicCatalog.FLEET_NODES, id, ContractJson.write(
                    Fleet.node("us-east", pool.name(), id, CapacityType.ON_DEMAND, NodeState.JOINED, since))));
        }
        producer.flush();
    }

    private static void send(KafkaProducer<String, byte[]> producer, PoolUtilization window) {
        producer.send(new ProducerRecord<>(TopicCatalog.UTILIZATION_POOL, window.key(), ContractJson.write(window)));
        producer.flush();
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("scaler-it").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
