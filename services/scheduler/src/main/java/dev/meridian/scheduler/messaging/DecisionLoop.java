package dev.meridian.scheduler.messaging;

import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.policy.routing.Decision;
import dev.meridian.policy.routing.RoutingPolicy;
import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.FleetView;
import dev.meridian.registry.rules.FleetRules;
import dev.meridian.scheduler.config.SchedulerConfig;
import dev.meridian.scheduler.routing.InputState;
import dev.meridian.scheduler.routing.RouteTables;
import dev.meridian.scheduler.routing.RoutingEngine;
import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.service.kafka.KafkaLoop;
import dev.meridian.service.registry.RegistryView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The scheduler's decision loop: reads every routing input ({@link InputSubscription}), decides for every client
 * region ({@link RoutingEngine}), publishes the versions ({@link WeightsPublisher}).
 *
 * <p>A plain consumer with manual assignment rather than Kafka Streams: each decision needs the whole fleet at once
 * (every region's pool aggregates, the full latency matrix, the home region's nodes), and is re-taken on the wall
 * clock (staleness, damping interval, heartbeat) rather than per record. In Streams that is a global store per
 * input plus a punctuator with no natural key; here it is a few maps. The state is small and rebuilt in seconds
 * from the compacted topics and a short look-back of the others, so no changelog is needed.
 */
@ApplicationScoped
public class DecisionLoop {

    private static final System.Logger LOG = System.getLogger(DecisionLoop.class.getName());
    private static final Duration POLL = Duration.ofMillis(50);

    private final SchedulerConfig config;
    private final KafkaClientSettings kafka;
    private final RouteTables tables;
    private final SchedulerMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    /** False in the service, where the registry view is a bean of its own; true when started and closed here. */
    private final boolean ownsFleetView;

    private volatile FleetView fleet;
    private volatile boolean restored;
    private volatile boolean inputsCaughtUp;
    private volatile KafkaLoop loop;
    private RoutingEngine engine;
    private InputState state;
    private WeightsPublisher publisher;

    /**
     * Outside Quarkus, on a plaintext broker (tests/multi-region runs one scheduler per region in one JVM): follows
     * the registry itself.
     */
    public DecisionLoop(SchedulerConfig config, String bootstrapServers, RouteTables tables,
            SchedulerMetrics metrics) {
        this(config, KafkaClientSettings.plaintext(bootstrapServers), null, tables, metrics);
    }

    @Inject
    DecisionLoop(SchedulerConfig config, KafkaClientSettings kafka, RegistryView registry, RouteTables tables,
            SchedulerMetrics metrics) {
        this.config = config;
        this.kafka = kafka;
        this.fleet = registry;
        this.ownsFleetView = registry == null;
        this.tables = tables;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Starts the loop (and, outside Quarkus, the registry view); public for harnesses, with {@link #stop()}. */
    public void start() {
        if (ownsFleetView) {
            fleet = RegistryView.follow(kafka, "meridian-scheduler-fleet-config");
        }
        engine = new RoutingEngine(new RoutingPolicy(config.routing().toSettings()));
        state = new InputState(config.homeRegions(), config.commandLookback());
        loop = KafkaLoop.start("meridian-scheduler-routing", Duration.ofSeconds(1), this::run);
    }

    /** Stops the loop (waiting up to 10 s for it), its publisher and, when owned, the registry view. */
    public void stop() {
        KafkaLoop l = loop;
        if (l != null) {
            l.stop(Duration.ofSeconds(10));
        }
        closePublisher();
        if (ownsFleetView && fleet instanceof FleetConfig owned) {
            owned.close();
        }
    }

    /**
     * Ready once the registry view has caught up, the last published versions are back and the inputs were read to
     * where they ended on start (so the first decision is taken on everything); never again once fenced.
     */
    public boolean isReady() {
        return isFleetConfigCaughtUp() && restored && inputsCaughtUp && !isFenced();
    }

    public boolean isFleetConfigCaughtUp() {
        FleetView f = fleet;
        return f != null && f.isCaughtUp();
    }

    public boolean isRestored() {
        return restored;
    }

    public boolean isInputsCaughtUp() {
        return inputsCaughtUp;
    }

    /** Another instance serving the same home regions took over publishing; this one has stopped routing. */
    public boolean isFenced() {
        KafkaLoop l = loop;
        return l != null && l.halted() != null;
    }

    /**
     * One run of the loop's body; after a failure the loop runs it again, and engine, state and publisher survive:
     * versions continue and inputs are re-read from their look-back.
     */
    private void run(KafkaLoop running) throws InterruptedException {
        try {
            if (publisher == null) {
                // Before reading back: fencing the previous instance first means it cannot add a version after we
                // have read the last one.
                publisher = new WeightsPublisher(kafka, config.source(),
                        WeightsPublisher.transactionalId(config.homeRegions()));
            }
            if (!restored) {
                restore(running);
            }
            decide(running);
        } catch (WeightsPublisher.FencedException e) {
            // Not restarted: starting again would fence the newer instance in turn, and both would flap.
            closePublisher();
            throw new KafkaLoop.Halt(e.getMessage() + "; routing stopped, readiness is DOWN", e);
        }
    }

    private void restore(KafkaLoop running) throws InterruptedException {
        Map<String, RoutingWeights> last = PublishedWeightsReader.readAll(kafka, Duration.ofSeconds(60));
        engine.restore(last);
        last.values().forEach(tables::update);
        while (running.running() && !fleet.awaitCaughtUp(Duration.ofSeconds(1))) {
            // Deciding before the registry is read would publish "unknown region" for everybody.
        }
        restored = true;
        LOG.log(Level.INFO, "restored the last weights of " + last.size() + " client regions; routing starts");
    }

    private void decide(KafkaLoop running) {
        try (InputSubscription inputs = new InputSubscription(config, kafka)) {
            running.wakeOnStop(inputs.consumer());
            Instant started = clock.instant();
            Instant nextWaitLog = started.plusSeconds(10);
            Instant nextDiscovery = Instant.MIN;
            Instant nextDecision = Instant.MIN;
            FleetSnapshot lastSnapshot = null;
            while (running.running()) {
                Instant now = clock.instant();
                if (!now.isBefore(nextDiscovery)) {
                    inputs.discover(now);
                    nextDiscovery = now.plus(config.topicDiscovery());
                }
                boolean changed = false;
                if (inputs.hasAssignment()) {
                    changed = inputs.pollInto(state, POLL);
                } else {
                    // Nothing to read yet (topics not created): wait as long as a poll would.
                    LockSupport.parkNanos(POLL.toNanos());
                }
                now = clock.instant();
                if (!inputsCaughtUp) {
                    if (!inputs.caughtUp()) {
                        if (!now.isBefore(nextWaitLog)) {
                            LOG.log(Level.INFO, "no routing decision before the inputs are read: "
                                    + inputs.describeMissing());
                            nextWaitLog = now.plusSeconds(10);
                        }
                        continue;
                    }
                    inputsCaughtUp = true;
                    LOG.log(Level.INFO, "inputs read to their end in " + Duration.between(started, now).toMillis()
                            + " ms; routing decides from now on");
                }
                changed |= state.expire(now);
                FleetSnapshot snapshot = fleet.current();
                changed |= snapshot != lastSnapshot;
                if (changed || !now.isBefore(nextDecision)) {
                    lastSnapshot = snapshot;
                    Set<String> clients = FleetRules.clientRegions(snapshot);
                    RoutingEngine.Round round = engine.decide(clients, FleetRules.residency(snapshot), state, now);
                    if (fleet.isCaughtUp()) {
                        tables.retainOnly(clients);
                    }
                    publish(round.publish());
                    Instant tick = now.plus(config.tick());
                    nextDecision = round.nextCheckAt() != null && round.nextCheckAt().isBefore(tick)
                            ? round.nextCheckAt() : tick;
                }
            }
        }
    }

    /**
     * A version is published once its transaction is committed: only then is it counted, served and damped against.
     * A failed round is counted apart and not confirmed, so the next round (at the latest one tick later) decides
     * against the same previous version again and retries with the same version number.
     */
    private void publish(List<Decision.Publish> versions) {
        if (versions.isEmpty()) {
            return;
        }
        try {
            publisher.publish(versions.stream().map(Decision.Publish::weights).toList());
        } catch (RuntimeException e) {
            versions.forEach(p -> metrics.weightsFailed(p.cause()));
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
            metrics.weightsPublished(publish.cause());
        }
    }

    private void closePublisher() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }
}
