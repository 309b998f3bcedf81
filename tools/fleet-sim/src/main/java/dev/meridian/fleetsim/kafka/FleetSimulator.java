package dev.meridian.fleetsim.kafka;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.fleetsim.model.FleetModel;
import dev.meridian.fleetsim.model.SpotInterruptions;
import dev.meridian.fleetsim.model.Step;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.Region;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The fleet simulator in a closed loop through Kafka: a {@link FleetModel} over the registry's pools that
 * <ul>
 * <li>reads {@code meridian.routing.weights.v1} (from the beginning: the compacted topic is the current weights) and
 * {@code meridian.scaling.commands.v1} (from the end at start: older commands were for another fleet), both
 * {@code read_committed}, as every consumer of exactly-once output must;</li>
 * <li>writes one NodeMetric per node and tick to {@code meridian.metrics.raw.v1} (the Kafka door of metrics-ingest,
 * keyed by node), latency probes of every pair of regions to {@code meridian.latency.v1} and spot interruption
 * notices to {@code meridian.fleet.interruptions.v1}, where ingest's HTTP doors put them too, with CloudEvents
 * headers.</li>
 * </ul>
 * One thread owns the model: it polls the input topics between ticks, so a command takes effect within ~100 ms.
 * Everything is stamped with the wall clock.
 */
public final class FleetSimulator implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Supplier<FleetSnapshot> fleet;
    private final SimulationOptions options;
    private final Clock clock;
    private final FleetModel model;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread loop;
    private final AtomicLong sendErrors = new AtomicLong();
    private volatile boolean running = true;
    private volatile SimulatorStats stats = SimulatorStats.NONE;
    private Instant wallStart;
    private Instant trafficStart;
    private Instant nextProbe;
    private long samples;
    private long probes;
    private long interruptions;
    private long commandsApplied;
    private long weightVersions;
    private long rejected;
    private String lastError;

    private FleetSimulator(String bootstrapServers, Supplier<FleetSnapshot> fleet, SimulationOptions options,
            Clock clock) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = clock;
        // Spot notices are drawn per wall-clock tick: the rate is per simulated hour, so scale it by the compression.
        this.model = new FleetModel(options.capacity(), options.effectiveDelays(),
                new SpotInterruptions(options.spotInterruptionsPerNodeHour() * options.compression()),
                new Random(options.seed()));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        try {
            assignInputs();
        } catch (RuntimeException e) {
            consumer.close();
            producer.close();
            throw e;
        }
        this.loop = new Thread(this::run, "fleet-sim");
        loop.setDaemon(true);
    }

    /**
     * Starts simulating at once.
     *
     * @param fleet read at every tick: a pool seen for the first time starts with its minimum size
     * @throws IllegalStateException if the input topics do not exist
     */
    public static FleetSimulator start(String bootstrapServers, Supplier<FleetSnapshot> fleet,
            SimulationOptions options) {
        return start(bootstrapServers, fleet, options, Clock.systemUTC());
    }

    static FleetSimulator start(String bootstrapServers, Supplier<FleetSnapshot> fleet, SimulationOptions options,
            Clock clock) {
        FleetSimulator simulator = new FleetSimulator(bootstrapServers, fleet, options, clock);
        simulator.loop.start();
        return simulator;
    }

    public SimulationOptions options() {
        return options;
    }

    /** The counters after the latest tick. */
    public SimulatorStats stats() {
        return stats;
    }

    private void assignInputs() {
        List<TopicPartition> weights = partitions(TopicCatalog.ROUTING_WEIGHTS);
        List<TopicPartition> commands = partitions(TopicCatalog.SCALING_COMMANDS);
        List<TopicPartition> all = new ArrayList<>(weights);
        all.addAll(commands);
        consumer.assign(all);
        consumer.seekToBeginning(weights);
        consumer.seekToEnd(commands);
        // Resolve the end now: a command published after start() returns must not be skipped by a lazy seek.
        commands.forEach(consumer::position);
    }

    private List<TopicPartition> partitions(String topic) {
        var infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; create the catalog topics first");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private void run() {
        wallStart = clock.instant();
        trafficStart = options.trafficStart() != null ? options.trafficStart() : wallStart;
        nextProbe = wallStart;
        Instant nextTick = wallStart;
        while (running) {
            try {
                Duration untilTick = Duration.between(clock.instant(), nextTick);
                Duration wait = untilTick.isNegative() ? Duration.ZERO : untilTick.compareTo(POLL) < 0 ? untilTick : POLL;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
                    consume(record);
                }
                Instant now = clock.instant();
                if (!now.isBefore(nextTick)) {
                    tick(now);
                    nextTick = nextTick.plus(options.tick());
                    if (nextTick.isBefore(now)) {
                        // Fell behind (a long GC, a slow broker): skip missed ticks rather than burst them out.
                        nextTick = now.plus(options.tick());
                    }
                }
            } catch (WakeupException stopping) {
                break;
            } catch (RuntimeException e) {
                lastError = e.toString();
                publishStats(clock.instant());
            }
        }
    }

    private void consume(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(TopicCatalog.ROUTING_WEIGHTS)) {
                if (record.value() != null) {
                    model.weights(ContractJson.read(record.value(), RoutingWeights.class));
                    weightVersions++;
                }
            } else if (record.value() != null
                    && model.apply(ContractJson.read(record.value(), ScaleCommand.class), clock.instant())) {
                commandsApplied++;
            }
        } catch (IllegalArgumentException invalid) {
            rejected++;
            lastError = "skipped a record of " + record.topic() + ": " + invalid.getMessage();
        }
    }

    private void tick(Instant now) {
        FleetSnapshot snapshot = fleet.get();
        model.adopt(snapshot, now);
        Duration simulated = Duration.ofNanos((long) (options.tick().toNanos() * options.compression()));
        Instant simulatedNow = trafficStart.plusNanos(
                (long) (Duration.between(wallStart, now).toNanos() * options.compression()));
        Map<String, Double> demand = new TreeMap<>();
        for (Region region : snapshot.regions()) {
            if (snapshot.isKnownRegion(region.name())) {
                demand.put(region.name(), options.traffic().tokensPerSecond(region.name(), trafficStart,
                        simulatedNow, simulated));
            }
        }
        Step step = model.step(now, options.tick(), demand);
        for (NodeMetric sample : step.samples()) {
            send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, null, now.toEpochMilli(), sample.nodeId(),
                    ContractJson.write(sample)));
            samples++;
        }
        for (Interruption notice : step.notices()) {
            send(TopicCatalog.FLEET_INTERRUPTIONS, notice.nodeId(), notice, ContractType.INTERRUPTION, now,
                    notice.region());
            interruptions++;
        }
        if (!now.isBefore(nextProbe)) {
            for (LatencyProbe probe : options.latency().probes(demand.keySet(), (from, to) -> new LatencyProbe(from,
                    to, options.latency().rttMs(from, to), now, FleetModel.SOURCE))) {
                send(TopicCatalog.LATENCY, probe.key(), probe, ContractType.LATENCY_PROBE, now, probe.fromRegion());
                probes++;
            }
            nextProbe = now.plus(options.probeInterval());
        }
        publishStats(now, demand);
    }

    private void publishStats(Instant now) {
        publishStats(now, stats.demand());
    }

    private void publishStats(Instant now, Map<String, Double> demand) {
        stats = new SimulatorStats(samples, probes, interruptions, commandsApplied, weightVersions, rejected,
                sendErrors.get(), model.pendingProvisions(), model.counts(), demand, now, lastError);
    }

    private void send(String topic, String key, Object value, ContractType type, Instant at, String region) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.write(headers, CloudEventAttributes.of(type, options.ceSource(), at, region));
        send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key, ContractJson.write(value), headers));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        producer.send(record, (metadata, exception) -> {
            if (exception != null) {
                sendErrors.incrementAndGet();
            }
        });
    }

    /** Stops the loop and closes the clients; records already handed to the producer are flushed. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
