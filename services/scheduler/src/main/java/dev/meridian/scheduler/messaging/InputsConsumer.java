package dev.meridian.scheduler.messaging;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.policy.routing.Decision;
import dev.meridian.policy.routing.Residency;
import dev.meridian.policy.routing.RoutingPolicy;
import dev.meridian.registry.config.AllowListEntry;
import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.Region;
import dev.meridian.registry.config.Zone;
import dev.meridian.registry.kafka.KafkaClientProperties;
import dev.meridian.scheduler.config.SchedulerConfig;
import dev.meridian.scheduler.routing.InputKind;
import dev.meridian.scheduler.routing.InputState;
import dev.meridian.scheduler.routing.RouteTables;
import dev.meridian.scheduler.routing.RoutingEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The scheduler's one loop: reads every routing input, decides for every client region, publishes the versions.
 *
 * <p>A plain consumer with manual assignment rather than Kafka Streams: each decision needs the whole fleet at once
 * (every region's pool aggregates, the full latency matrix, the home region's nodes), and is re-taken on the wall
 * clock (staleness, damping interval, heartbeat) rather than per record. In Streams that is a global store per
 * input plus a punctuator with no natural key; here it is a few maps. The state is small and rebuilt in seconds
 * from the compacted topics and a short look-back of the others, so no changelog is needed, and without a consumer
 * group every instance sees every partition, as each must.
 */
@ApplicationScoped
public class InputsConsumer {

    private static final System.Logger LOG = System.getLogger(InputsConsumer.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Set<String> KNOWN_ZONES = Arrays.stream(Zone.values()).map(Zone::name)
            .collect(Collectors.toUnmodifiableSet());

    private final SchedulerConfig config;
    private final String bootstrapServers;
    /** Quarkus' kafka.* settings (TLS, SASL), which every client here starts from. */
    private final Map<String, Object> kafka;
    private final RouteTables tables;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    private final Map<InputKind, Deserializer<?>> deserializers = new EnumMap<>(InputKind.class);

    private volatile FleetConfig fleetConfig;
    private volatile boolean restored;
    private volatile boolean inputsCaughtUp;
    private volatile boolean fenced;
    private volatile boolean running;
    private Thread thread;
    private KafkaConsumer<String, byte[]> consumer;

    /** On a plaintext broker (tests/multi-region, ITs without Quarkus): bootstrap servers are all it needs. */
    public InputsConsumer(SchedulerConfig config, String bootstrapServers, RouteTables tables, MeterRegistry meters) {
        this(config, bootstrapServers, Map.of(), tables, meters);
    }

    @Inject
    public InputsConsumer(SchedulerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, RouteTables tables,
            MeterRegistry meters) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.kafka = Map.copyOf(kafka);
        this.tables = tables;
        this.meters = meters;
        deserializers.put(InputKind.POOL, ContractSerdes.poolUtilization().deserializer());
        deserializers.put(InputKind.NODE, ContractSerdes.nodeUtilization().deserializer());
        deserializers.put(InputKind.INVENTORY, ContractSerdes.fleetNode().deserializer());
        deserializers.put(InputKind.LATENCY, ContractSerdes.latencyProbe().deserializer());
        deserializers.put(InputKind.INTERRUPTION, ContractSerdes.interruption().deserializer());
        deserializers.put(InputKind.COMMAND, ContractSerdes.scaleCommand().deserializer());
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    /**
     * Starts the registry view and the routing loop. Public, with {@link #stop()}, so that a harness without Quarkus
     * (tests/multi-region runs one scheduler per region in one JVM) drives this very loop.
     */
    public void start() {
        FleetConfig.Builder fleetConfigBuilder = FleetConfig.builder(bootstrapServers)
                .clientId("meridian-scheduler-fleet-config");
        KafkaClientProperties.consumer(kafka).forEach(fleetConfigBuilder::consumerProperty);
        fleetConfig = fleetConfigBuilder.start();
        running = true;
        thread = new Thread(this::run, "meridian-scheduler-routing");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop (waiting up to 10 s for it) and the registry view. */
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fleetConfig != null) {
            fleetConfig.close();
        }
    }

    /**
     * Ready once the registry view has caught up, the last published versions are back and the inputs were read to
     * where they ended on start (so the first decision is taken on everything); never again once fenced.
     */
    public boolean isReady() {
        FleetConfig fc = fleetConfig;
        return fc != null && fc.isCaughtUp() && restored && inputsCaughtUp && !fenced;
    }

    public boolean isFleetConfigCaughtUp() {
        FleetConfig fc = fleetConfig;
        return fc != null && fc.isCaughtUp();
    }

    public boolean isRestored() {
        return restored;
    }

    public boolean isInputsCaughtUp() {
        return inputsCaughtUp;
    }

    /** Another instance serving the same home regions took over publishing; this one has stopped routing. */
    public boolean isFenced() {
        return fenced;
    }

    private void run() {
        RoutingEngine engine = new RoutingEngine(new RoutingPolicy(config.routing().toSettings()));
        InputState state = new InputState(config.homeRegions(), config.commandLookback());
        WeightsPublisher publisher = null;
        try {
            while (running) {
                try {
                    if (publisher == null) {
                        // Before reading back: fencing the previous instance first means it cannot add a version
                        // after we have read the last one.
                        publisher = new WeightsPublisher(bootstrapServers, KafkaClientProperties.producer(kafka),
                                config.source(),
                                WeightsPublisher.transactionalId(config.homeRegions()));
                    }
                    if (!restored) {
                        restore(engine);
                    }
                    loop(engine, state, publisher);
                } catch (WeightsPublisher.FencedException e) {
                    // Not restarted: starting again would fence the newer instance in turn, and both would flap.
                    fenced = true;
                    LOG.log(Level.ERROR, e.getMessage() + "; routing stopped, readiness is DOWN", e);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (WakeupException e) {
                    // stop() woke us.
                } catch (RuntimeException e) {
                    // Engine and state survive: versions continue and inputs are re-read from their look-back.
                    LOG.log(Level.ERROR, "the routing loop failed; restarting it in 1 s", e);
                    LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                }
            }
        } finally {
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    private void restore(RoutingEngine engine) throws InterruptedException {
        Map<String, RoutingWeights> last = PublishedWeightsReader.readAll(bootstrapServers,
                KafkaClientProperties.consumer(kafka), Duration.ofSeconds(60));
        engine.restore(last);
        last.values().forEach(tables::update);
        while (running && !fleetConfig.awaitCaughtUp(Duration.ofSeconds(1))) {
            // Deciding before the registry is read would publish "unknown region" for everybody.
        }
        restored = true;
        LOG.log(Level.INFO, "restored the last weights of " + last.size() + " client regions; routing starts");
    }

    private void loop(RoutingEngine engine, InputState state, WeightsPublisher publisher) {
        // read_committed: the inputs are written exactly-once by metrics-ingest and the scaler; an aborted DRAIN
        // or a window of an aborted attempt must never take nodes out of routing.
        Map<String, Object> props = KafkaClientProperties.consumer(kafka);
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "meridian-scheduler-inputs",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            Set<String> assignedTopics = new HashSet<>();
            InputCatchUp catchUp = new InputCatchUp(Arrays.stream(InputKind.values()).map(InputKind::topic).toList());
            Instant started = clock.instant();
            Instant nextWaitLog = started.plusSeconds(10);
            Instant nextDiscovery = Instant.MIN;
            Instant nextDecision = Instant.MIN;
            FleetSnapshot lastSnapshot = null;
            while (running) {
                Instant now = clock.instant();
                if (!now.isBefore(nextDiscovery)) {
                    discover(c, assignedTopics, catchUp, now);
                    nextDiscovery = now.plus(config.topicDiscovery());
                }
                boolean changed = false;
                if (!c.assignment().isEmpty()) {
                    for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                        changed |= apply(state, record);
                    }
                } else {
                    // Nothing to read yet (topics not created): wait as long as a poll would.
                    LockSupport.parkNanos(POLL.toNanos());
                }
                now = clock.instant();
                if (!inputsCaughtUp) {
                    if (!catchUp.caughtUp(c::position)) {
                        if (!now.isBefore(nextWaitLog)) {
                            LOG.log(Level.INFO, "no routing decision before the inputs are read: "
                                    + catchUp.describeMissing());
                            nextWaitLog = now.plusSeconds(10);
                        }
                        continue;
                    }
                    inputsCaughtUp = true;
                    LOG.log(Level.INFO, "inputs read to their end in " + Duration.between(started, now).toMillis()
                            + " ms; routing decides from now on");
                }
                changed |= state.expire(now);
                FleetSnapshot snapshot = fleetConfig.current();
                changed |= snapshot != lastSnapshot;
                if (changed || !now.isBefore(nextDecision)) {
                    lastSnapshot = snapshot;
                    Set<String> clients = clientRegions(snapshot);
                    RoutingEngine.Round round = engine.decide(clients, residency(snapshot), state, now);
                    if (fleetConfig.isCaughtUp()) {
                        tables.retainOnly(clients);
                    }
                    publish(publisher, engine, round.publish());
                    Instant tick = now.plus(config.tick());
                    nextDecision = round.nextCheckAt() != null && round.nextCheckAt().isBefore(tick)
                            ? round.nextCheckAt() : tick;
                }
            }
        } finally {
            consumer = null;
        }
    }

    /**
     * A version is published once its transaction is committed: only then is it counted, served and damped against.
     * A failed round is counted apart and not confirmed, so the next round (at the latest one tick later) decides
     * against the same previous version again and retries with the same version number.
     */
    private void publish(WeightsPublisher publisher, RoutingEngine engine, List<Decision.Publish> versions) {
        if (versions.isEmpty()) {
            return;
        }
        try {
            publisher.publish(versions.stream().map(Decision.Publish::weights).toList());
        } catch (RuntimeException e) {
            versions.forEach(p -> meters.counter("meridian.scheduler.weights.failed", "cause", p.cause().name())
                    .increment());
            if (e instanceof WeightsPublisher.FencedException) {
                throw e;
            }
            LOG.log(Level.WARNING, versions.size() + " weights versions were not written; the next round retries "
                    + "them", e);
            return;
        }
        engine.confirm(versions);
        for (Decision.Publish publish : versions) {
            tables.update(publish.weights());
            meters.counter("meridian.scheduler.weights.published", "cause", publish.cause().name()).increment();
        }
    }

    private boolean apply(InputState state, ConsumerRecord<String, byte[]> record) {
        InputKind kind = InputKind.of(record.topic()).orElse(null);
        if (kind == null) {
            return false;
        }
        try {
            Object value = record.value() == null ? null
                    : deserializers.get(kind).deserialize(record.topic(), record.value());
            return state.apply(kind, record.key(), value);
        } catch (RuntimeException e) {
            // metrics-ingest validates what it publishes; a bad record here is someone else's, and must not stop
            // routing for everybody.
            LOG.log(Level.WARNING, "skipping an unreadable record at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + ": " + e.getMessage());
            return false;
        }
    }

    /** Assigns new input topics (mirrors appear whenever MirrorMaker starts copying a region). */
    private void discover(KafkaConsumer<String, byte[]> c, Set<String> assignedTopics, InputCatchUp catchUp,
            Instant now) {
        Map<String, List<PartitionInfo>> topics = c.listTopics(Duration.ofSeconds(10));
        List<TopicPartition> added = new ArrayList<>();
        Map<TopicPartition, InputKind> kinds = new HashMap<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : new TreeMap<>(topics).entrySet()) {
            InputKind kind = InputKind.of(topic.getKey()).orElse(null);
            if (kind == null || assignedTopics.contains(topic.getKey()) || topic.getValue().isEmpty()) {
                continue;
            }
            assignedTopics.add(topic.getKey());
            for (PartitionInfo p : topic.getValue()) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                added.add(tp);
                kinds.put(tp, kind);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = new HashSet<>(c.assignment());
        assignment.addAll(added);
        c.assign(assignment);
        seek(c, added, kinds, now);
        catchUp.assigned(c.endOffsets(added, Duration.ofSeconds(10)));
        LOG.log(Level.INFO, "reading " + added.size() + " more input partitions of " + new TreeSet<>(
                added.stream().map(TopicPartition::topic).toList()));
    }

    /**
     * Compacted topics are current state: read from the start. The others only as far back as can still matter:
     * older utilization windows are stale, older drains and interruptions are over.
     */
    private void seek(KafkaConsumer<String, byte[]> c, List<TopicPartition> added, Map<TopicPartition, InputKind> kinds,
            Instant now) {
        List<TopicPartition> fromStart = new ArrayList<>();
        Map<TopicPartition, Long> fromTime = new HashMap<>();
        for (TopicPartition tp : added) {
            InputKind kind = kinds.get(tp);
            if (kind.compacted()) {
                fromStart.add(tp);
            } else {
                Duration lookback = kind == InputKind.POOL || kind == InputKind.NODE ? config.utilizationLookback()
                        : config.commandLookback();
                fromTime.put(tp, now.minus(lookback).toEpochMilli());
            }
        }
        c.seekToBeginning(fromStart);
        if (!fromTime.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(fromTime, Duration.ofSeconds(10));
            List<TopicPartition> toEnd = new ArrayList<>();
            for (Map.Entry<TopicPartition, Long> e : fromTime.entrySet()) {
                OffsetAndTimestamp found = offsets.get(e.getKey());
                if (found == null) {
                    toEnd.add(e.getKey());
                } else {
                    c.seek(e.getKey(), found.offset());
                }
            }
            // Eager, not seekToEnd: that is resolved only at the next poll, and would skip what is written between
            // the look-up and then.
            c.endOffsets(toEnd, Duration.ofSeconds(10)).forEach(c::seek);
        }
    }

    /** Every region the registry knows is a client region; unknown ones are refused by the policy anyway. */
    static Set<String> clientRegions(FleetSnapshot snapshot) {
        return snapshot.regions().stream().map(Region::name).collect(Collectors.toCollection(TreeSet::new));
    }

    static Residency residency(FleetSnapshot snapshot) {
        Map<String, String> zones = new HashMap<>();
        snapshot.regions().forEach(r -> zones.put(r.name(), r.zoneCode()));
        Map<String, Set<String>> allow = new HashMap<>();
        for (AllowListEntry entry : snapshot.allowList()) {
            allow.computeIfAbsent(entry.clientRegion(), k -> new HashSet<>()).add(entry.servingRegion());
        }
        return new Residency(zones, KNOWN_ZONES, allow);
    }
}
