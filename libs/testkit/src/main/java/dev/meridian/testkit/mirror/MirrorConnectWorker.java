package dev.meridian.testkit.mirror;

import dev.meridian.testkit.internal.Startup;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.mirror.MirrorHeartbeatConnector;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.distributed.NotLeaderException;
import org.apache.kafka.connect.runtime.distributed.RebalanceNeededException;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.Callback;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * MirrorMaker 2 as Strimzi's {@code KafkaMirrorMaker2} runs it: one Kafka Connect worker in distributed mode, in this
 * JVM, whose Kafka is the <em>target</em> cluster, running for each source cluster a {@link MirrorSourceConnector}
 * and a {@link MirrorHeartbeatConnector} named {@code <source>-><target>.<connector class>}, as Strimzi names them.
 *
 * <p>Unlike dedicated mode ({@link MirrorMakerRunner}), which starts one herder, and so one Connect group, per flow,
 * every flow into the target shares one group and one set of config, offset and status topics
 * ({@link Builder#group}): what a broker that grants MirrorMaker a single Connect group (deploy/'s
 * {@code meridian-mirror-maker}) lets run, whatever the number of peers. And each cluster has its own login, the
 * target's for the worker and its producers, consumers and admin, each source's for the consumers and admin reading
 * it, where dedicated mode gives an alias one set of client settings for every role.
 *
 * <p>No checkpoint connector runs: deploy/'s overlays configure none. Connector configurations, the clusters'
 * (throwaway) passwords among them, are kept in the config topic in the clear, where Strimzi writes references to its
 * mounted Secrets; a worker started again with the same configurations finds them there and resumes from the offsets
 * in its offset topic.
 */
public final class MirrorConnectWorker implements Mirror {

    /** Strimzi's (and dedicated mode's) converters: records are copied as the bytes they are, headers too. */
    public static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    /** Each waits for the herder's next tick, which runs the pending rebalance first. */
    private static final int CONFIGURE_ATTEMPTS = 50;
    private static final System.Logger LOG = System.getLogger(MirrorConnectWorker.class.getName());

    private final String target;
    private final Map<String, String> workerProperties;
    private final List<MirrorMakerRunner.Flow> flows;
    private final Map<String, Map<String, String>> connectors;
    /** Per connector, the configuration request handed to the herder by {@link #start()}, until it is answered. */
    private final Map<String, FutureCallback<Void>> configured = new LinkedHashMap<>();
    private Connect<DistributedHerder> connect;

    private MirrorConnectWorker(String target, Map<String, String> workerProperties, List<MirrorMakerRunner.Flow> flows,
            Map<String, Map<String, String>> connectors) {
        this.target = target;
        this.workerProperties = Map.copyOf(workerProperties);
        this.flows = List.copyOf(flows);
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        connectors.forEach((name, config) -> copy.put(name, Map.copyOf(config)));
        this.connectors = Collections.unmodifiableMap(copy);
    }

    /**
     * A worker in the cluster {@code targetAlias}, reached with these client settings (bootstrap servers, security
     * protocol, SASL, trust store: {@link dev.meridian.testkit.kafka.KafkaCluster#wanClientProperties} gives them all).
     * The worker, its producers, consumers and admin clients, and each connector's target-side clients log in with
     * them.
     */
    public static Builder builder(String targetAlias, Map<String, ?> targetClientProperties) {
        return new Builder(targetAlias, targetClientProperties);
    }

    /**
     * The name of a connector of the flow {@code source -> target}, as Strimzi names it:
     * {@code us-east->eu-west.MirrorSourceConnector}.
     */
    public static String connectorName(String source, String target, Class<?> connector) {
        return source + "->" + target + "." + connector.getSimpleName();
    }

    /** The alias of the cluster this worker runs in and copies into. */
    public String target() {
        return target;
    }

    @Override
    public List<MirrorMakerRunner.Flow> flows() {
        return flows;
    }

    /** The worker's properties (distributed mode), the target's password included. */
    public Map<String, String> workerProperties() {
        return workerProperties;
    }

    /** Every connector's configuration by name, in the order they are created; passwords included. */
    public Map<String, Map<String, String>> connectorConfigs() {
        return connectors;
    }

    /** The REST address of the worker (an ephemeral port on 127.0.0.1). */
    public synchronized URI restUrl() {
        return running().rest().serverUrl();
    }

    /**
     * Starts the worker and hands the herder every connector configuration; returns without waiting for the worker to
     * join its group, so that the workers of several regions start side by side: {@link #awaitRunning} waits.
     */
    private synchronized MirrorConnectWorker start() {
        long started = System.nanoTime();
        connect = Startup.run("MirrorMaker 2 Connect worker in " + target,
                () -> new ConnectDistributed().startConnect(workerProperties));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.log(System.Logger.Level.INFO, () -> "MirrorMaker 2 Connect worker in " + target + " started in " + elapsed
                + " ms for " + flows);
        DistributedHerder herder = connect.herder();
        connectors.forEach((name, config) -> {
            FutureCallback<Void> done = new FutureCallback<>();
            configured.put(name, done);
            configure(herder, name, config, done, CONFIGURE_ATTEMPTS);
        });
        return this;
    }

    /**
     * Hands the herder {@code config} unless its config topic holds it already: writing an unchanged configuration
     * again would restart the connector and its tasks for nothing. Answered on the herder's thread once the worker has
     * joined its group and read its config topic; a request that meets a rebalance, or a worker not yet its group's
     * leader, is asked again, as it would be of the only worker of a Connect cluster.
     */
    private static void configure(DistributedHerder herder, String name, Map<String, String> config,
            FutureCallback<Void> done, int attempts) {
        Callback<Void> retrying = (error, ignored) -> {
            if (attempts > 1 && (error instanceof RebalanceNeededException || error instanceof NotLeaderException)) {
                configure(herder, name, config, done, attempts - 1);
            } else {
                done.onCompletion(error, null);
            }
        };
        herder.connectorConfig(name, (error, existing) -> {
            if (error == null && config.equals(existing)) {
                retrying.onCompletion(null, null);
            } else if (error == null || error instanceof NotFoundException) {
                herder.putConnectorConfig(name, config, true,
                        (putError, created) -> retrying.onCompletion(putError, null));
            } else {
                retrying.onCompletion(error, null);
            }
        });
    }

    /**
     * Waits until the herder took every connector configuration and every connector and its tasks are RUNNING, at
     * least one task each: a source connector gets tasks once a topic of its flow exists on its source. Fails at once
     * with Connect's trace if a connector or task FAILED, a refused ACL typically.
     */
    @Override
    public void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map.Entry<String, FutureCallback<Void>>> requests;
        synchronized (this) {
            running();
            requests = new ArrayList<>(configured.entrySet());
        }
        for (Map.Entry<String, FutureCallback<Void>> request : requests) {
            awaitConfigured(request.getKey(), request.getValue(), deadline, timeout);
        }
        for (String name : connectors.keySet()) {
            ConnectorStateInfo last = status(name);
            while (!isRunning(name, last)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(target + ": connector " + name + " not RUNNING after " + timeout
                            + ": " + describe(last));
                }
                pause();
                last = status(name);
            }
        }
    }

    private void awaitConfigured(String name, FutureCallback<Void> request, long deadline, Duration timeout) {
        try {
            request.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(target + ": interrupted while configuring connector " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(target + ": could not configure connector " + name, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(target + ": the Connect worker did not take connector " + name
                    + " within " + timeout + " (has it joined group " + workerProperties.get("group.id") + "?)", e);
        }
    }

    /** The connector's current status and its tasks', or null while the worker does not know it (yet). */
    public synchronized ConnectorStateInfo status(String connector) {
        try {
            return running().herder().connectorStatus(connector);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private boolean isRunning(String name, ConnectorStateInfo info) {
        if (info == null) {
            return false;
        }
        if ("FAILED".equals(info.connector().state())) {
            throw new IllegalStateException(target + ": connector " + name + " FAILED: " + info.connector().trace());
        }
        for (ConnectorStateInfo.TaskState task : info.tasks()) {
            if ("FAILED".equals(task.state())) {
                throw new IllegalStateException(target + ": connector " + name + " task " + task.id() + " FAILED: "
                        + task.trace());
            }
        }
        return "RUNNING".equals(info.connector().state()) && !info.tasks().isEmpty()
                && info.tasks().stream().allMatch(task -> "RUNNING".equals(task.state()));
    }

    private static String describe(ConnectorStateInfo info) {
        if (info == null) {
            return "unknown to the worker";
        }
        return "connector " + info.connector().state() + ", tasks "
                + info.tasks().stream().map(task -> task.id() + "=" + task.state()).toList();
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Connect<DistributedHerder> running() {
        if (connect == null) {
            throw new IllegalStateException("the MirrorMaker 2 Connect worker in " + target + " is stopped");
        }
        return connect;
    }

    /**
     * Stops the worker: its tasks commit their offsets and it leaves its group. Configurations and offsets stay in
     * the target cluster's topics for a later worker.
     */
    @Override
    public synchronized void close() {
        if (connect == null) {
            return;
        }
        try {
            connect.stop();
            connect.awaitStop();
        } finally {
            connect = null;
            configured.clear();
        }
    }

    @Override
    public String toString() {
        return "MirrorConnectWorker[" + target + " " + flows + "]";
    }

    public static final class Builder {
        private final String target;
        private final Map<String, String> targetClient;
        /** Per source alias: its client settings and the topics regex of its flow, in the order added. */
        private final Map<String, Map<String, String>> sourceClients = new LinkedHashMap<>();
        private final Map<String, String> sourceTopics = new LinkedHashMap<>();
        private final Map<String, String> workerOverrides = new LinkedHashMap<>();
        private final Map<String, String> connectorOverrides = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> flowOverrides = new LinkedHashMap<>();
        private String group = MultiRegionKafka.CONNECT_GROUP;
        private boolean heartbeats = true;

        private Builder(String target, Map<String, ?> targetClientProperties) {
            this.target = alias(target);
            this.targetClient = clientSettings(target, targetClientProperties);
        }

        /**
         * Copies the topics of {@code alias} that match {@code topicsRegex} into the target, reading them with these
         * client settings ({@link dev.meridian.testkit.kafka.KafkaCluster#wanClientProperties}): one
         * {@link MirrorSourceConnector}, and a {@link MirrorHeartbeatConnector} unless {@link #heartbeats} is off.
         */
        public Builder source(String alias, Map<String, ?> clientProperties, String topicsRegex) {
            alias(alias);
            if (alias.equals(target)) {
                throw new IllegalArgumentException("a flow needs two different clusters, got " + alias + " twice");
            }
            if (sourceClients.containsKey(alias)) {
                throw new IllegalArgumentException("source " + alias + " added twice");
            }
            sourceClients.put(alias, clientSettings(alias, clientProperties));
            sourceTopics.put(alias, Objects.requireNonNull(topicsRegex, "topicsRegex"));
            return this;
        }

        /**
         * The worker's Connect group, and the prefix of its {@code -configs}, {@code -offsets} and {@code -status}
         * topics. Default {@value MultiRegionKafka#CONNECT_GROUP}, Strimzi's name for a {@code KafkaMirrorMaker2}.
         */
        public Builder group(String group) {
            if (Objects.requireNonNull(group, "group").isBlank()) {
                throw new IllegalArgumentException("a Connect group needs a name");
            }
            this.group = group;
            return this;
        }

        /** Whether each flow also runs a {@link MirrorHeartbeatConnector}, as deploy/'s overlays do (default true). */
        public Builder heartbeats(boolean heartbeats) {
            this.heartbeats = heartbeats;
            return this;
        }

        /** A worker property (distributed mode), overriding the defaults. */
        public Builder workerProperty(String key, String value) {
            workerOverrides.put(key, value);
            return this;
        }

        /** A property of every connector (e.g. {@code sync.topic.configs.enabled}), overriding the defaults. */
        public Builder connectorProperty(String key, String value) {
            connectorOverrides.put(key, value);
            return this;
        }

        /** A property of the connectors of the flow from {@code source}, overriding {@link #connectorProperty}. */
        public Builder flowProperty(String source, String key, String value) {
            flowOverrides.computeIfAbsent(source, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        Map<String, String> workerProperties() {
            Map<String, String> props = new LinkedHashMap<>(targetClient);
            // Connect hands the worker's own login to its group membership and storage topics only; the tasks'
            // producers and consumers and the admin clients take theirs from these prefixes, as Strimzi sets them.
            for (String prefix : List.of("producer.", "consumer.", "admin.")) {
                targetClient.forEach((key, value) -> props.put(prefix + key, value));
            }
            props.put("group.id", group);
            // Connect names the worker's own clients after group and client id; the workers of several regions share
            // the group name in this JVM, and clients of the same name clash in its metrics and MBeans.
            props.put("client.id", target);
            props.put("config.storage.topic", group + "-configs");
            props.put("offset.storage.topic", group + "-offsets");
            props.put("status.storage.topic", group + "-status");
            props.put("config.storage.replication.factor", "1");
            props.put("offset.storage.replication.factor", "1");
            props.put("status.storage.replication.factor", "1");
            // Connect's 25 and 5 partitions cost seconds of leader elections per region on two cores, and one
            // worker has no use for them.
            props.put("offset.storage.partitions", "1");
            props.put("status.storage.partitions", "1");
            props.put("key.converter", BYTE_ARRAY_CONVERTER);
            props.put("value.converter", BYTE_ARRAY_CONVERTER);
            props.put("header.converter", BYTE_ARRAY_CONVERTER);
            // Ephemeral port: one worker per region runs in this JVM.
            props.put("listeners", "http://127.0.0.1:0");
            // The connectors are on the class path; scanning it for plugins costs seconds.
            props.put("plugin.discovery", "service_load");
            // A worker cut off from its cluster for longer than its session rejoins as a new member, and its tasks
            // would wait Connect's 5-minute default for a "lost" worker to come back.
            props.put("scheduled.rebalance.max.delay.ms", "0");
            props.putAll(workerOverrides);
            return props;
        }

        Map<String, Map<String, String>> connectorConfigs() {
            Map<String, Map<String, String>> configs = new LinkedHashMap<>();
            for (String source : sourceClients.keySet()) {
                Map<String, String> sourceConfig = connectorConfig(source, MirrorSourceConnector.class);
                sourceConfig.put("topics", sourceTopics.get(source));
                // As deploy/'s overlays have it: the source's login may only read, so offset syncs stay with the
                // copies.
                sourceConfig.put("offset-syncs.topic.location", "target");
                configs.put(connectorName(source, target, MirrorSourceConnector.class),
                        overridden(source, sourceConfig));
                if (heartbeats) {
                    configs.put(connectorName(source, target, MirrorHeartbeatConnector.class),
                            overridden(source, connectorConfig(source, MirrorHeartbeatConnector.class)));
                }
            }
            return configs;
        }

        /** What every connector of a flow has: both clusters, each with its own login, and the kit's settings. */
        private Map<String, String> connectorConfig(String source, Class<?> connector) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("name", connectorName(source, target, connector));
            config.put("connector.class", connector.getName());
            // One task a flow: a few partitions per topic, and two cores for three regions.
            config.put("tasks.max", "1");
            config.put("source.cluster.alias", source);
            config.put("target.cluster.alias", target);
            sourceClients.get(source).forEach((key, value) -> config.put("source.cluster." + key, value));
            targetClient.forEach((key, value) -> config.put("target.cluster." + key, value));
            config.put("key.converter", BYTE_ARRAY_CONVERTER);
            config.put("value.converter", BYTE_ARRAY_CONVERTER);
            config.put("header.converter", BYTE_ARRAY_CONVERTER);
            // New topics should start mirroring within a test's patience, not the 10-minute default.
            config.put("refresh.topics.interval.seconds", "1");
            // The User Operator owns ACLs in production (deploy/'s overlays say the same), and nobody may write
            // them here.
            config.put("sync.topic.acls.enabled", "false");
            for (String key : List.of("replication.factor", "offset-syncs.topic.replication.factor",
                    "heartbeats.topic.replication.factor", "checkpoints.topic.replication.factor")) {
                config.put(key, "1");
            }
            return config;
        }

        private Map<String, String> overridden(String source, Map<String, String> config) {
            config.putAll(connectorOverrides);
            config.putAll(flowOverrides.getOrDefault(source, Map.of()));
            return config;
        }

        /** Starts the worker and hands it the connectors; {@link MirrorConnectWorker#awaitRunning} waits for them. */
        public MirrorConnectWorker start() {
            if (sourceClients.isEmpty()) {
                throw new IllegalStateException(target + ": no source to copy from");
            }
            for (String source : flowOverrides.keySet()) {
                if (!sourceClients.containsKey(source)) {
                    throw new IllegalStateException(target + ": properties for a flow from " + source
                            + ", which is not among the sources " + sourceClients.keySet());
                }
            }
            List<MirrorMakerRunner.Flow> flows = sourceTopics.entrySet().stream()
                    .map(source -> new MirrorMakerRunner.Flow(source.getKey(), target, source.getValue()))
                    .toList();
            return new MirrorConnectWorker(target, workerProperties(), flows, connectorConfigs()).start();
        }

        private static String alias(String alias) {
            if (Objects.requireNonNull(alias, "alias").isBlank() || alias.contains(".") || alias.contains(",")) {
                // The alias becomes a topic prefix and part of connector names.
                throw new IllegalArgumentException("cluster alias must not be blank or contain '.' or ',': " + alias);
            }
            return alias;
        }

        private static Map<String, String> clientSettings(String alias, Map<String, ?> clientProperties) {
            Map<String, String> settings = new LinkedHashMap<>();
            clientProperties.forEach((key, value) -> settings.put(key,
                    String.valueOf(Objects.requireNonNull(value, () -> alias + ": no value for " + key))));
            if (!settings.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalArgumentException(alias + ": the client settings name no bootstrap servers");
            }
            return settings;
        }
    }
}
