package dev.meridian.testkit.mirror;

import dev.meridian.testkit.internal.Startup;
import dev.meridian.testkit.kafka.KafkaCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.mirror.DefaultReplicationPolicy;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.mirror.SourceAndTarget;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;

/**
 * MirrorMaker 2 in dedicated mode, in this JVM, between named Kafka clusters (one per region alias).
 *
 * <p>Topics arrive on the target under the source alias ({@code us-east.meridian.latency.v1}), as with
 * {@link DefaultReplicationPolicy} in production, so consumers subscribe by pattern the same way here and
 * there. Only the configured flows run: heartbeats in the other directions are switched off, so no stray
 * herders or topics appear on clusters that receive nothing.
 */
public final class MirrorMakerRunner implements Mirror {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final System.Logger LOG = System.getLogger(MirrorMakerRunner.class.getName());

    private final Map<String, String> properties;
    private final List<Flow> flows;
    private MirrorMaker mirrorMaker;

    /** One direction of replication: topics of {@code source} matching {@code topics} (a regex) go to {@code target}. */
    public record Flow(String source, String target, String topics) {
        public Flow {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(topics, "topics");
            if (source.equals(target)) {
                throw new IllegalArgumentException("a flow needs two different clusters, got " + source + " twice");
            }
        }

        SourceAndTarget pair() {
            return new SourceAndTarget(source, target);
        }
    }

    private MirrorMakerRunner(Map<String, String> properties, List<Flow> flows) {
        this.properties = Map.copyOf(properties);
        this.flows = List.copyOf(flows);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The name a topic gets on the target cluster: {@code <source alias>.<topic>}. */
    public static String remoteTopic(String sourceAlias, String topic) {
        return new DefaultReplicationPolicy().formatRemoteTopic(sourceAlias, topic);
    }

    @Override
    public List<Flow> flows() {
        return flows;
    }

    /** The MirrorMaker properties in use (dedicated-mode format), the clusters' passwords included. */
    public Map<String, String> properties() {
        return properties;
    }

    private MirrorMakerRunner startMirrorMaker() {
        List<String> targets = flows.stream().map(Flow::target).distinct().toList();
        long started = System.nanoTime();
        mirrorMaker = Startup.run("MirrorMaker 2", () -> {
            MirrorMaker created = new MirrorMaker(properties, targets);
            created.start();
            return created;
        });
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.log(System.Logger.Level.INFO, () -> "MirrorMaker 2 started for " + flows + " in " + elapsed + " ms");
        return this;
    }

    /**
     * Waits until every flow's source connector runs (with its tasks, if topics matched already). Records
     * flow from then on; topics created later are picked up within {@code refresh.topics.interval.seconds}.
     */
    @Override
    public void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Flow flow : flows) {
            ConnectorStateInfo last = status(flow);
            while (!isRunning(last)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("MirrorMaker flow " + flow + " not RUNNING after " + timeout
                            + (last == null ? "" : ": connector " + last.connector().state()));
                }
                pause();
                last = status(flow);
            }
        }
    }

    private static boolean isRunning(ConnectorStateInfo info) {
        return info != null && "RUNNING".equals(info.connector().state())
                && info.tasks().stream().allMatch(task -> "RUNNING".equals(task.state()));
    }

    private ConnectorStateInfo status(Flow flow) {
        try {
            return mirrorMaker.connectorStatus(flow.pair(), MirrorSourceConnector.class.getSimpleName());
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public synchronized void close() {
        if (mirrorMaker == null) {
            return;
        }
        try {
            mirrorMaker.stop();
            mirrorMaker.awaitStop();
        } finally {
            mirrorMaker = null;
        }
    }

    public static final class Builder {
        /** Per alias: its client settings, bootstrap servers included. */
        private final Map<String, Map<String, String>> clusters = new LinkedHashMap<>();
        private final List<Flow> flows = new ArrayList<>();
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder cluster(String alias, String bootstrapServers) {
            return cluster(alias, Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    Objects.requireNonNull(bootstrapServers, "bootstrapServers")));
        }

        /**
         * Adds a cluster reached with these client settings: bootstrap servers and whatever else a Kafka client needs
         * (security protocol, SASL, trust store; {@link KafkaCluster#wanClientProperties} gives them all). In dedicated
         * mode they are the alias's only settings, used whether the cluster is a flow's source (its consumers and
         * admin) or its target (the herder's Connect worker, producers and admin): one login per cluster.
         */
        public Builder cluster(String alias, Map<String, ?> clientProperties) {
            if (alias.contains(".") || alias.contains(",") || alias.isBlank()) {
                // The alias becomes a topic prefix and a list element in the config.
                throw new IllegalArgumentException("cluster alias must not be blank or contain '.' or ',': " + alias);
            }
            Map<String, String> settings = new LinkedHashMap<>();
            clientProperties.forEach((key, value) -> settings.put(key,
                    String.valueOf(Objects.requireNonNull(value, () -> alias + ": no value for " + key))));
            if (!settings.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalArgumentException(alias + ": the client settings name no bootstrap servers");
            }
            clusters.put(alias, settings);
            return this;
        }

        /** Adds the cluster under its {@link KafkaCluster#name()}. */
        public Builder cluster(KafkaCluster cluster) {
            return cluster(cluster.name(), cluster.bootstrapServers());
        }

        public Builder flow(String source, String target, String topicsRegex) {
            flows.add(new Flow(source, target, topicsRegex));
            return this;
        }

        /** Any MirrorMaker property (dedicated-mode syntax, e.g. {@code us-east->eu-west.sync.topic.configs.enabled}). */
        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        Map<String, String> properties() {
            if (flows.isEmpty()) {
                throw new IllegalStateException("no flow configured");
            }
            for (Flow flow : flows) {
                if (!clusters.containsKey(flow.source()) || !clusters.containsKey(flow.target())) {
                    throw new IllegalStateException("flow " + flow + " names a cluster not among " + clusters.keySet());
                }
            }
            Map<String, String> props = new LinkedHashMap<>();
            props.put("clusters", String.join(",", clusters.keySet()));
            // Connectors come from the class path; scanning it for plugins costs seconds per herder.
            props.put("plugin.discovery", "service_load");
            clusters.forEach((alias, settings) -> {
                settings.forEach((key, value) -> props.put(alias + "." + key, value));
                props.put(alias + ".plugin.discovery", "service_load");
                // A herder cut off from its target for longer than its session rejoins as a new member, and its tasks
                // would wait Connect's 5-minute default for a "lost" worker. Worker settings reach a herder only under
                // its target's prefix: MirrorMaker drops a top-level key silently.
                props.put(alias + ".scheduled.rebalance.max.delay.ms", "0");
            });
            Set<String> enabled = new LinkedHashSet<>();
            for (Flow flow : flows) {
                String prefix = flow.source() + "->" + flow.target() + ".";
                props.put(prefix + "enabled", "true");
                props.put(prefix + "topics", flow.topics());
                enabled.add(flow.source() + "->" + flow.target());
            }
            // Every pair gets a heartbeat herder by default, flow or not; only configured flows should run.
            for (String source : clusters.keySet()) {
                for (String target : clusters.keySet()) {
                    if (!source.equals(target) && !enabled.contains(source + "->" + target)) {
                        props.put(source + "->" + target + ".emit.heartbeats.enabled", "false");
                    }
                }
            }
            // New topics should start mirroring within a test's patience, not the 10-minute default.
            props.put("refresh.topics.interval.seconds", "1");
            props.put("sync.topic.acls.enabled", "false");
            for (String key : List.of("replication.factor", "checkpoints.topic.replication.factor",
                    "heartbeats.topic.replication.factor", "offset-syncs.topic.replication.factor",
                    "offset.storage.replication.factor", "status.storage.replication.factor",
                    "config.storage.replication.factor")) {
                props.put(key, "1");
            }
            props.putAll(overrides);
            return props;
        }

        public MirrorMakerRunner start() {
            return new MirrorMakerRunner(properties(), flows).startMirrorMaker();
        }
    }
}
