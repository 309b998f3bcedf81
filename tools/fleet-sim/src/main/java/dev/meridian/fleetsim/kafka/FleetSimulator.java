package dev.meridian.fleetsim.kafka;

import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.fleetsim.emit.SampleSink;
import dev.meridian.fleetsim.emit.SampleSinks;
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
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The fleet simulator in a closed loop through Kafka: a {@link FleetModel} over the registry's pools that
 * <ul>
 * <li>reads {@code meridian.routing.weights.v1} (from the beginning: the compacted topic is the current weights) and
 * {@code meridian.scaling.commands.v1} (from the end at start: older commands were for another fleet), both
 * {@code read_committed}, as every consumer of exactly-once output must;</li>
 * <li>emits one NodeMetric per node and tick, latency probes of every pair of regions and spot interruption
 * notices through the {@link SampleSink} its {@link SimulationOptions#emission()} names: by default to
 * {@code meridian.metrics.raw.v1} (the Kafka door of metrics-ingest, keyed by node), {@code meridian.latency.v1}
 * and {@code meridian.fleet.interruptions.v1}; or to ingest's HTTP or remote_write door.</li>
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
    private final SampleSink sink;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread loop;
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
    private String lastSinkFailure;

    private FleetSimulator(String bootstrapServers, Supplier<FleetSnapshot> fleet, SimulationOptions options,
            Clock clock) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = clock;
        // Spot notices are drawn per wall-clock tick: the rate is per simulated hour, so scale it by the compression.
        this.model = new FleetModel(options.capacity(), options.effectiveDelays(),
                new SpotInterruptions(options.spotInterruptionsPerNodeHour() * options.compression()),
                new Random(options.seed()));
        this.sink = SampleSinks.open(options.emission(), bootstrapServers, options.ceSource());
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        try {
            assignInputs();
        } catch (RuntimeException e) {
            consumer.close();
            sink.close();
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
        List<LatencyProbe> probeList = List.of();
        if (!now.isBefore(nextProbe)) {
            probeList = options.latency().probes(demand.keySet(), (from, to) -> new LatencyProbe(from, to,
                    options.latency().rttMs(from, to), now, FleetModel.SOURCE));
            nextProbe = now.plus(options.probeInterval());
        }
        sink.emit(now, step.samples(), step.notices(), probeList);
        samples += step.samples().size();
        interruptions += step.notices().size();
        probes += probeList.size();
        publishStats(now, demand);
    }

    private void publishStats(Instant now) {
        publishStats(now, stats.demand());
    }

    private void publishStats(Instant now, Map<String, Double> demand) {
        String sinkFailure = sink.lastFailure();
        if (sinkFailure != null && !sinkFailure.equals(lastSinkFailure)) {
            lastSinkFailure = sinkFailure;
            lastError = sinkFailure;
        }
        stats = new SimulatorStats(samples, probes, interruptions, commandsApplied, weightVersions, rejected,
                sink.failures(), model.pendingProvisions(), model.counts(), demand, now, lastError);
    }

    /** Stops the loop and closes the clients; what the sink was handed is delivered (a few seconds at most). */
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
        sink.close();
    }
}
