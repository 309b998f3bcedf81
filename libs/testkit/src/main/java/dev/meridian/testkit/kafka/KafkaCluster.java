package dev.meridian.testkit.kafka;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import dev.meridian.testkit.net.TcpProxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import kafka.server.BrokerServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka cluster (KRaft) running inside this JVM: one combined broker+controller node, or three
 * brokers with one dedicated controller.
 *
 * <p>Several clusters may run side by side, one per region alias, each with its own ports and storage.
 * Clients only ever see {@link #bootstrapServers()}: the code under test cannot tell this cluster from a
 * remote one.
 *
 * <p>With {@link Builder#wanListener(boolean)} the broker has a second listener, {@value #WAN_LISTENER}, that remote
 * clients (MirrorMaker in another region) reach through an in-process {@link TcpProxy} and that the broker
 * advertises at the proxy's address, so those clients stay on the proxy: {@link #cutWan()} cuts the region off
 * from them while its own services keep their direct listener, as in a real network partition.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(KafkaCluster.class.getName());
    /** The listener remote regions use, behind {@link #wanProxy()}. */
    public static final String WAN_LISTENER = "WAN";

    private final String name;
    private final KafkaClusterTestKit kit;
    private final String bootstrapServers;
    private final int brokerCount;
    private final TcpProxy wanProxy;
    private final Set<Integer> stoppedBrokers = new TreeSet<>();
    private boolean closed;

    private KafkaCluster(String name, KafkaClusterTestKit kit, int brokerCount, TcpProxy wanProxy) {
        this.name = name;
        this.kit = kit;
        this.brokerCount = brokerCount;
        this.wanProxy = wanProxy;
        // Captured while every broker is up: the kit derives it from live sockets, and clients must keep
        // the same list while a broker is stopped for a failover test.
        this.bootstrapServers = kit.bootstrapServers();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One broker, no topics: the quickest useful cluster. */
    public static KafkaCluster startSingleBroker() {
        return builder().start();
    }

    /** Whether {@code storage} holds a node formatted by an earlier start with {@link Builder#storage(Path)}. */
    public static boolean isFormatted(Path storage) {
        return KeptStorage.isFormatted(storage);
    }

    public String name() {
        return name;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public int brokerCount() {
        return brokerCount;
    }

    /** Bootstrap servers for clients in other regions: the {@value #WAN_LISTENER} listener, through the proxy. */
    public String wanBootstrapServers() {
        return requireWan().address();
    }

    /** The proxy in front of the {@value #WAN_LISTENER} listener (connection counts, cut state). */
    public TcpProxy wanProxy() {
        return requireWan();
    }

    /** Cuts every remote client off (open connections closed, new ones refused); local clients are unaffected. */
    public void cutWan() {
        requireWan().cut();
    }

    /** Lets remote clients in again; they reconnect to the same address by themselves. */
    public void restoreWan() {
        requireWan().restore();
    }

    public boolean hasWanListener() {
        return wanProxy != null;
    }

    private TcpProxy requireWan() {
        if (wanProxy == null) {
            throw new IllegalStateException(name + " was started without a WAN listener (Builder.wanListener)");
        }
        return wanProxy;
    }

    public SortedSet<Integer> brokerIds() {
        return new TreeSet<>(kit.brokers().keySet());
    }

    /** Replication factor for topics created here: three where there are three brokers, else one. */
    public short replicationFactor() {
        return (short) Math.min(3, brokerCount);
    }

    /** Properties for an {@link Admin} client; a fresh mutable map each call. */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    public Admin admin() {
        return Admin.create(adminConfig());
    }

    /** Creates every topic of {@link TopicCatalog} with its partitions and configs. Existing topics are kept. */
    public void createCatalogTopics() {
        createTopics(TopicCatalog.all());
    }

    /** Creates the topics with their catalog partitions and configs; topics that already exist are kept. */
    public void createTopics(Collection<TopicSpec> specs) {
        List<NewTopic> topics = specs.stream()
                .map(spec -> new NewTopic(spec.name(), spec.partitions(), replicationFactor())
                        .configs(spec.kafkaConfigs()))
                .toList();
        create(topics);
    }

    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, Map.of());
    }

    public void createTopic(String topic, int partitions, Map<String, String> configs) {
        create(List.of(new NewTopic(topic, partitions, replicationFactor()).configs(configs)));
    }

    private void create(List<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = admin()) {
            var futures = admin.createTopics(topics).values();
            for (var entry : futures.entrySet()) {
                try {
                    entry.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(name + ": could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": topic creation timed out after " + ADMIN_TIMEOUT, e);
        }
    }

    /**
     * Stops a broker (controlled shutdown); the controller stays up and moves partition leadership to the
     * remaining brokers. With a single combined node this takes the whole cluster's data path down.
     */
    public synchronized void stopBroker(int brokerId) {
        BrokerServer broker = broker(brokerId);
        if (stoppedBrokers.add(brokerId)) {
            broker.shutdown();
            broker.awaitShutdown();
        }
    }

    /** Restarts a stopped broker on the same port and log directories; returns once it is running. */
    public synchronized void startBroker(int brokerId) {
        BrokerServer broker = broker(brokerId);
        if (stoppedBrokers.remove(brokerId)) {
            broker.startup();
        }
    }

    private BrokerServer broker(int brokerId) {
        BrokerServer broker = kit.brokers().get(brokerId);
        if (broker == null) {
            throw new IllegalArgumentException(name + ": no broker " + brokerId + ", brokers are " + brokerIds());
        }
        return broker;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (wanProxy != null) {
            wanProxy.close();
        }
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException(name + ": could not stop the Kafka cluster", e);
        }
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + name + ", " + brokerCount + " broker(s), " + bootstrapServers + "]";
    }

    public static final class Builder {
        private String name = "kafka";
        private int brokers = 1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private boolean catalogTopics;
        private boolean wanListener;
        private Path storage;

        private Builder() {
        }

        /** A label for logs and errors, typically the region alias ("us-east"). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** 1 (default, one combined broker+controller node) or 3 (three brokers, one controller). */
        public Builder brokers(int brokers) {
            if (brokers != 1 && brokers != 3) {
                throw new IllegalArgumentException("brokers must be 1 or 3, was " + brokers);
            }
            this.brokers = brokers;
            return this;
        }

        /** A broker setting that overrides the kit's defaults, e.g. {@code log.retention.check.interval.ms}. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public Builder brokerProperties(Map<String, String> properties) {
            brokerProperties.putAll(properties);
            return this;
        }

        /**
         * Whether the broker gets a second listener, {@value KafkaCluster#WAN_LISTENER}, for remote regions, reached
         * and advertised through a {@link TcpProxy} (one broker only).
         */
        public Builder wanListener(boolean wan) {
            this.wanListener = wan;
            return this;
        }

        /**
         * Keeps the cluster's data in this directory across starts (one node only): formatted on the first start,
         * reused afterwards, never deleted on close. Without it every start formats fresh storage in a temporary
         * directory that close deletes.
         */
        public Builder storage(Path directory) {
            this.storage = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Whether {@link #start()} also creates every topic of the catalog. */
        public Builder createCatalogTopics(boolean create) {
            this.catalogTopics = create;
            return this;
        }

        public KafkaCluster start() {
            if (storage != null && brokers != 1) {
                throw new IllegalStateException(name + ": kept storage is supported with one broker only");
            }
            if (wanListener && brokers != 1) {
                // One proxy per broker and per-node listener settings would be needed; no test needs it yet.
                throw new IllegalStateException(name + ": the WAN listener is supported with one broker only");
            }
            KafkaClusterTestKit kit = null;
            TcpProxy proxy = wanListener ? TcpProxy.bind(name + "-wan") : null;
            long started = System.nanoTime();
            try {
                // One node is broker and controller at once. Three brokers get one dedicated controller
                // instead: three combined nodes of Kafka 4.1.2's kit, on two cores, failed controller RPCs
                // (UpdateVoter INVALID_REQUEST) and timed out topic creation, and a broker restart never
                // caught up. Failover tests stop brokers, so a single controller loses nothing for them.
                TestKitNodes.Builder nodesBuilder = new TestKitNodes.Builder()
                        .setCombined(brokers == 1)
                        .setNumBrokerNodes(brokers)
                        .setNumControllerNodes(1)
                        .setBootstrapMetadata(productionMetadata());
                KeptStorage kept = storage == null ? null : KeptStorage.in(storage);
                if (kept != null) {
                    nodesBuilder.setBaseDirectory(kept.directory()).setClusterId(kept.clusterId());
                }
                TestKitNodes nodes = nodesBuilder.build();
                KafkaClusterTestKit.Builder kitBuilder = new KafkaClusterTestKit.Builder(nodes)
                        .setDeleteOnClose(kept == null);
                defaults().forEach(kitBuilder::setConfigProp);
                if (proxy != null) {
                    wanListenerProperties(nodes, proxy).forEach(kitBuilder::setConfigProp);
                }
                brokerProperties.forEach(kitBuilder::setConfigProp);
                kit = kitBuilder.build();
                if (kept == null || !kept.formatted()) {
                    kit.format();
                    if (kept != null) {
                        kept.markFormatted();
                    }
                }
                kit.startup();
                kit.waitForReadyBrokers();
                if (proxy != null) {
                    BrokerServer broker = kit.brokers().values().iterator().next();
                    proxy.forwardTo("localhost", broker.boundPort(new ListenerName(WAN_LISTENER)));
                }
                KafkaCluster cluster = new KafkaCluster(name, kit, brokers, proxy);
                if (catalogTopics) {
                    cluster.createCatalogTopics();
                }
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                LOG.log(System.Logger.Level.INFO, () -> cluster + " started in " + elapsed + " ms");
                return cluster;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(kit, proxy);
                throw new IllegalStateException(name + ": interrupted while starting Kafka", e);
            } catch (Exception e) {
                closeQuietly(kit, proxy);
                throw new IllegalStateException(name + ": could not start Kafka", e);
            }
        }

        /**
         * The combined node listens on the kit's broker and controller listeners (ephemeral ports, as the kit sets
         * them) plus {@value KafkaCluster#WAN_LISTENER}; it advertises the broker listener at its bound port and the
         * WAN listener at the proxy, which is bound already and forwards once the broker's port is known.
         */
        private static Map<String, String> wanListenerProperties(TestKitNodes nodes, TcpProxy proxy) {
            String broker = nodes.brokerListenerName().value();
            String controller = nodes.controllerListenerName().value();
            Map<String, String> props = new LinkedHashMap<>();
            props.put("listeners", broker + "://localhost:0," + controller + "://localhost:0," + WAN_LISTENER
                    + "://localhost:0");
            props.put("advertised.listeners", broker + "://localhost:0," + WAN_LISTENER + "://" + proxy.address());
            props.put("listener.security.protocol.map", broker + ":" + nodes.brokerListenerProtocol().name + ","
                    + controller + ":" + nodes.controllerListenerProtocol().name + "," + WAN_LISTENER + ":"
                    + nodes.brokerListenerProtocol().name);
            return props;
        }

        /**
         * The kit formats storage with the newest, unstable metadata version by default; production
         * clusters run the latest production one, and so must we, or features differ under our feet.
         * kraft.version is left to the formatter, which derives it from the kit's static voter list.
         */
        private static BootstrapMetadata productionMetadata() {
            MetadataVersion version = MetadataVersion.latestProduction();
            Map<String, Short> features = Feature.PRODUCTION_FEATURES.stream()
                    .filter(feature -> feature != Feature.KRAFT_VERSION)
                    .collect(Collectors.toMap(Feature::featureName, feature -> feature.defaultLevel(version)));
            return BootstrapMetadata.fromVersions(version, features, "meridian-testkit");
        }

        private Map<String, String> defaults() {
            String replication = Integer.toString(Math.min(3, brokers));
            String minInSync = brokers == 1 ? "1" : "2";
            Map<String, String> props = new LinkedHashMap<>();
            // Every topic is declared in the catalog; a typo must fail, not create a stray topic.
            props.put("auto.create.topics.enable", "false");
            props.put("offsets.topic.replication.factor", replication);
            props.put("transaction.state.log.replication.factor", replication);
            props.put("transaction.state.log.min.isr", minInSync);
            props.put("share.coordinator.state.topic.replication.factor", replication);
            props.put("share.coordinator.state.topic.min.isr", minInSync);
            props.put("min.insync.replicas", minInSync);
            props.put("default.replication.factor", replication);
            // The default of 50 partitions each costs seconds of leader elections on a 2-core machine.
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.num.partitions", "4");
            // Consumers in tests join alone; the 3 s default delay only slows every first poll.
            props.put("group.initial.rebalance.delay.ms", "0");
            // A restarted broker must wait out its old session before it is unfenced: 9 s by default,
            // ~1.5 s with these (measured restart: 10.5 s -> 3 s).
            props.put("broker.heartbeat.interval.ms", "500");
            props.put("broker.session.timeout.ms", "3000");
            // Stay on released behaviour: the kit enables unstable versions unless told otherwise.
            props.put("unstable.api.versions.enable", "false");
            props.put("unstable.feature.versions.enable", "false");
            return props;
        }

        private static void closeQuietly(KafkaClusterTestKit kit, TcpProxy proxy) {
            if (proxy != null) {
                proxy.close();
            }
            if (kit == null) {
                return;
            }
            try {
                kit.close();
            } catch (Exception suppressed) {
                // The start failure is the error worth reporting.
            }
        }
    }
}
