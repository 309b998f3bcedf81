package dev.meridian.testkit.kafka;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import dev.meridian.testkit.net.TcpProxy;
import dev.meridian.testkit.security.TestCertificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import kafka.server.BrokerServer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.utils.Utils;
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
 *
 * <p>With {@link Builder#tls(boolean)} the broker has a third listener, {@value #SECURE_LISTENER}: SASL_SSL,
 * SCRAM-SHA-512 over TLS 1.3 only, with a throwaway CA and a certificate for {@code localhost}/{@code 127.0.0.1} made
 * at start ({@link TestCertificates}). Clients reach it with {@link #clientProperties(String, String)}; users are
 * made with {@link #scramUser(String, String)}. The controller and inter-broker listeners stay plaintext (traffic
 * inside this JVM), and so does {@link #bootstrapServers()}, which the kit's own admin calls use.
 *
 * <p>With both, the {@value #WAN_LISTENER} listener speaks SASL_SSL exactly as {@value #SECURE_LISTENER} does (same
 * certificate, same users): remote regions authenticate as production's peers do. Clients reach it with
 * {@link #wanClientProperties(String, String)}; the proxy only forwards bytes, and the certificate names the loopback
 * address it listens on.
 *
 * <p>With {@link Builder#acls} the broker also authorizes: deny by default, and the ACLs of deploy/'s
 * {@code KafkaUser}s ({@link KafkaUserAcls}); a service under test logs in as its own user with {@link #kafkaUser}.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(KafkaCluster.class.getName());
    /** The listener remote regions use, behind {@link #wanProxy()}. */
    public static final String WAN_LISTENER = "WAN";
    /** The SASL_SSL listener of {@link Builder#tls(boolean)}. */
    public static final String SECURE_LISTENER = "SECURE";
    /** The only SASL mechanism {@value #SECURE_LISTENER} accepts. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** The only TLS version {@value #SECURE_LISTENER} speaks. */
    public static final String TLS_VERSION = "TLSv1.3";
    /** The kit's own SCRAM user, with a random password; {@code super.users} names it for when ACLs are on. */
    public static final String ADMIN_USER = "admin";
    /** The minimum Kafka allows for SCRAM-SHA-512: each authentication derives the key this many times. */
    private static final int SCRAM_ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final KafkaClusterTestKit kit;
    private final String bootstrapServers;
    private final int brokerCount;
    private final TcpProxy wanProxy;
    private final SecureListener secure;
    private final KafkaUserAcls acls;
    private final Set<Integer> stoppedBrokers = new TreeSet<>();
    private boolean closed;

    private KafkaCluster(String name, KafkaClusterTestKit kit, int brokerCount, TcpProxy wanProxy,
                         SecureListener secure, KafkaUserAcls acls) {
        this.name = name;
        this.kit = kit;
        this.brokerCount = brokerCount;
        this.wanProxy = wanProxy;
        this.secure = secure;
        this.acls = acls;
        // Captured while every broker is up: the kit derives it from live sockets, and clients must keep
        // the same list while a broker is stopped for a failover test.
        this.bootstrapServers = kit.bootstrapServers();
    }

    /**
     * What {@link Builder#tls(boolean)} adds: the certificates (in a temporary directory that close deletes) and the
     * kit's admin password.
     */
    private record SecureListener(Path directory, TestCertificates.Stores stores, String adminPassword) {
        @Override
        public String toString() {
            return "SecureListener[" + directory + "]";
        }
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

    public boolean hasTls() {
        return secure != null;
    }

    /**
     * Bootstrap servers of the {@value #SECURE_LISTENER} (SASL_SSL) listener; see {@link #clientProperties}. Read
     * from the broker on each call: the kit pre-binds only its own listeners, so {@link #startBroker} binds this one
     * on a new port, and clients made before a restart have to be made again.
     */
    public String secureBootstrapServers() {
        requireTls();
        return kit.brokers().values().stream()
                .map(broker -> "localhost:" + broker.boundPort(new ListenerName(SECURE_LISTENER)))
                .collect(Collectors.joining(","));
    }

    /**
     * Everything a Kafka client needs to reach the {@value #SECURE_LISTENER} listener as {@code user}: bootstrap
     * servers, {@code SASL_SSL} with {@value #SCRAM_MECHANISM} and the JAAS line, the trust store holding this run's
     * CA, TLS 1.3 as the only version, hostname verification on. A fresh mutable map each call; add serializers,
     * group id etc. to it, or override a key to make a client the broker must refuse.
     */
    public Map<String, Object> clientProperties(String user, String password) {
        SecureListener tls = requireTls();
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, secureBootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_SSL.name);
        config.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, ScramLoginModule.class.getName() + " required username=\""
                + jaasEscape(Objects.requireNonNull(user, "user")) + "\" password=\""
                + jaasEscape(Objects.requireNonNull(password, "password")) + "\";");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.stores().trustStore().toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.stores().password());
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, TestCertificates.Stores.TYPE);
        config.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, TLS_VERSION);
        config.put(SslConfigs.SSL_PROTOCOL_CONFIG, TLS_VERSION);
        // Kafka's default, stated: the broker's certificate names localhost and 127.0.0.1, so it can be checked.
        config.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
        return config;
    }

    /** {@link #clientProperties} of the kit's {@value #ADMIN_USER} user. */
    public Map<String, Object> adminClientProperties() {
        return clientProperties(ADMIN_USER, requireTls().adminPassword());
    }

    /**
     * {@link #clientProperties} for the {@value #WAN_LISTENER} listener: the same SASL_SSL settings with the proxy's
     * address as bootstrap servers, as a client in another region (a peer's MirrorMaker) connects. The cluster needs
     * both {@link Builder#wanListener(boolean)} and {@link Builder#tls(boolean)}; {@link #cutWan()} cuts such clients
     * off.
     */
    public Map<String, Object> wanClientProperties(String user, String password) {
        requireWan();
        Map<String, Object> config = clientProperties(user, password);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, wanBootstrapServers());
        return config;
    }

    /** The throwaway CA, certificates and PKCS12 stores of the {@value #SECURE_LISTENER} listener. */
    public TestCertificates.Stores tlsStores() {
        return requireTls().stores();
    }

    /**
     * Creates the SCRAM-SHA-512 user {@code user}, or gives it a new password; returns once every running broker
     * accepts the password. Made through the kit's plaintext listener, as {@code kafka-configs --alter} would.
     */
    public void scramUser(String user, String password) {
        requireTls();
        if (Objects.requireNonNull(user, "user").isBlank()) {
            throw new IllegalArgumentException("a SCRAM user needs a name");
        }
        if (user.equals(ADMIN_USER)) {
            throw new IllegalArgumentException(ADMIN_USER + " is the kit's own user; see adminClientProperties()");
        }
        upsertScramUser(user, Objects.requireNonNull(password, "password"));
    }

    private void upsertScramUser(String user, String password) {
        // Our own salt: a broker knows the new password once its cached credential carries it.
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        UserScramCredentialUpsertion upsertion = new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                password.getBytes(StandardCharsets.UTF_8), salt);
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(upsertion)).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitScramCredential(user, salt);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": could not set SCRAM credentials of " + user, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while setting SCRAM credentials", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": setting SCRAM credentials timed out after " + ADMIN_TIMEOUT, e);
        }
    }

    /**
     * The controller has committed the credential when the alteration returns; each broker applies it from the
     * metadata log a moment later, and a client that authenticates in between is refused. Waits for the broker's
     * own credential cache, the one its authenticator reads.
     */
    private void awaitScramCredential(String user, byte[] salt) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        for (var entry : kit.brokers().entrySet()) {
            synchronized (this) {
                if (stoppedBrokers.contains(entry.getKey())) {
                    continue;
                }
            }
            var cache = entry.getValue().credentialProvider().credentialCache
                    .cache(SCRAM_MECHANISM, ScramCredential.class);
            while (true) {
                ScramCredential credential = cache.get(user);
                if (credential != null && Arrays.equals(credential.salt(), salt)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("broker " + entry.getKey() + " did not learn the credential of " + user);
                }
                Thread.sleep(5);
            }
        }
    }

    /**
     * Logs in as {@code user} of the {@link Builder#acls ACLs} the broker enforces: creates its SCRAM credential with a
     * fresh random password and returns {@link #clientProperties} for it. What the user may do is what its
     * {@code KafkaUser} grants, nothing more.
     */
    public Map<String, Object> kafkaUser(String user) {
        if (acls == null) {
            throw new IllegalStateException(name + " was started without ACLs (Builder.acls)");
        }
        acls.of(user);
        String password = Builder.password();
        scramUser(user, password);
        return clientProperties(user, password);
    }

    public boolean enforcesAcls() {
        return acls != null;
    }

    /** Adds ACL bindings, through the kit's plaintext door; returns once the broker's authorizer applies them. */
    public void grant(Collection<AclBinding> bindings) {
        if (bindings.isEmpty()) {
            return;
        }
        try (Admin admin = admin()) {
            admin.createAcls(bindings).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // Committed by the controller; the broker's authorizer learns them from the metadata log a moment later,
            // and DescribeAcls is answered from that very authorizer.
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (!admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).containsAll(bindings)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the broker did not apply " + bindings.size() + " ACL bindings");
                }
                Thread.sleep(5);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": could not create ACLs", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while creating ACLs", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": creating ACLs timed out after " + ADMIN_TIMEOUT, e);
        }
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private SecureListener requireTls() {
        if (secure == null) {
            throw new IllegalStateException(name + " was started without TLS (Builder.tls)");
        }
        return secure;
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
        } finally {
            if (secure != null) {
                deleteQuietly(secure.directory());
            }
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            Utils.delete(directory.toFile());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + directory, e);
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
        private boolean tls;
        private KafkaUserAcls acls;
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
         * and advertised through a {@link TcpProxy} (one broker only). Plaintext, unless {@link #tls(boolean)} is on
         * too: then SASL_SSL like {@value KafkaCluster#SECURE_LISTENER}, see {@link KafkaCluster#wanClientProperties}.
         */
        public Builder wanListener(boolean wan) {
            this.wanListener = wan;
            return this;
        }

        /**
         * Whether the broker gets a third listener, {@value KafkaCluster#SECURE_LISTENER}: SASL_SSL with
         * {@value KafkaCluster#SCRAM_MECHANISM}, {@value KafkaCluster#TLS_VERSION} only, a throwaway CA and a
         * certificate for localhost made at start (one broker only). The kit's {@value KafkaCluster#ADMIN_USER} user
         * is created at start; tests add theirs with {@link KafkaCluster#scramUser} and connect with
         * {@link KafkaCluster#clientProperties}. Authentication only, unless {@link #acls} turns the authorizer on.
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Turns on the {@code StandardAuthorizer} with deny-by-default and grants {@code acls} (usually
         * {@link KafkaUserAcls#fromDeploy()}: deploy/'s {@code KafkaUser}s) once the broker runs; implies
         * {@link #tls(boolean)}. Users log in on the {@value KafkaCluster#SECURE_LISTENER} listener with
         * {@link KafkaCluster#kafkaUser(String)}. The kit's plaintext listeners stay what they were, the kit's own door
         * (topic creation, test clients that play other services): their anonymous principal is a super user, like the
         * {@value KafkaCluster#ADMIN_USER} user.
         */
        public Builder acls(KafkaUserAcls acls) {
            this.acls = Objects.requireNonNull(acls, "acls");
            this.tls = true;
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
            if (tls && brokers != 1) {
                // Three brokers would need per-node listener settings and a SECURE port that survives
                // startBroker (the kit pre-binds only its own listeners); no test needs it yet.
                throw new IllegalStateException(name + ": TLS is supported with one broker only");
            }
            KafkaClusterTestKit kit = null;
            TcpProxy proxy = wanListener ? TcpProxy.bind(name + "-wan") : null;
            Path tlsDirectory = null;
            long started = System.nanoTime();
            try {
                TestCertificates.Stores stores = null;
                if (tls) {
                    tlsDirectory = Files.createTempDirectory("meridian-kafka-tls-");
                    stores = TestCertificates.loopbackServer(tlsDirectory);
                }
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
                if (proxy != null || stores != null) {
                    listenerProperties(nodes, proxy, stores != null).forEach(kitBuilder::setConfigProp);
                }
                if (stores != null) {
                    securityProperties(stores, acls != null).forEach(kitBuilder::setConfigProp);
                }
                if (stores != null && proxy != null) {
                    wanSecurityProperties(stores).forEach(kitBuilder::setConfigProp);
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
                SecureListener secure = stores == null ? null : new SecureListener(tlsDirectory, stores, password());
                KafkaCluster cluster = new KafkaCluster(name, kit, brokers, proxy, secure, acls);
                if (secure != null) {
                    cluster.upsertScramUser(ADMIN_USER, secure.adminPassword());
                }
                if (acls != null) {
                    cluster.grant(acls.all());
                }
                if (catalogTopics) {
                    cluster.createCatalogTopics();
                }
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                LOG.log(System.Logger.Level.INFO, () -> cluster + " started in " + elapsed + " ms");
                return cluster;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(kit, proxy, tlsDirectory);
                throw new IllegalStateException(name + ": interrupted while starting Kafka", e);
            } catch (Exception e) {
                closeQuietly(kit, proxy, tlsDirectory);
                throw new IllegalStateException(name + ": could not start Kafka", e);
            }
        }

        /**
         * The combined node listens on the kit's broker and controller listeners (ephemeral ports, as the kit sets
         * them) plus {@value KafkaCluster#WAN_LISTENER} and/or {@value KafkaCluster#SECURE_LISTENER}; it advertises
         * the broker and secure listeners at their bound ports and the WAN listener at the proxy, which is bound
         * already and forwards once the broker's port is known. WAN speaks the broker listener's protocol, or with
         * TLS on SASL_SSL as SECURE does: a region whose services need TLS would not let its peers in without it.
         */
        private static Map<String, String> listenerProperties(TestKitNodes nodes, TcpProxy proxy, boolean tls) {
            String broker = nodes.brokerListenerName().value();
            String controller = nodes.controllerListenerName().value();
            String plaintext = nodes.brokerListenerProtocol().name;
            StringJoiner listeners = new StringJoiner(",");
            StringJoiner advertised = new StringJoiner(",");
            StringJoiner protocols = new StringJoiner(",");
            listeners.add(broker + "://localhost:0").add(controller + "://localhost:0");
            advertised.add(broker + "://localhost:0");
            protocols.add(broker + ":" + plaintext).add(controller + ":" + nodes.controllerListenerProtocol().name);
            if (proxy != null) {
                listeners.add(WAN_LISTENER + "://localhost:0");
                advertised.add(WAN_LISTENER + "://" + proxy.address());
                protocols.add(WAN_LISTENER + ":" + (tls ? SecurityProtocol.SASL_SSL.name : plaintext));
            }
            if (tls) {
                listeners.add(SECURE_LISTENER + "://localhost:0");
                advertised.add(SECURE_LISTENER + "://localhost:0");
                protocols.add(SECURE_LISTENER + ":" + SecurityProtocol.SASL_SSL.name);
            }
            Map<String, String> props = new LinkedHashMap<>();
            props.put("listeners", listeners.toString());
            props.put("advertised.listeners", advertised.toString());
            props.put("listener.security.protocol.map", protocols.toString());
            return props;
        }

        /**
         * The {@value KafkaCluster#SECURE_LISTENER} listener's settings, all prefixed with its name so the plaintext
         * listeners are untouched: TLS 1.3 only with this run's key store, no client certificates (clients prove
         * who they are with SCRAM), SCRAM-SHA-512 as the only mechanism, checked against the credentials in the
         * cluster metadata. With {@code authorize}, the KRaft authorizer denies whatever no ACL allows.
         */
        private static Map<String, String> securityProperties(TestCertificates.Stores stores, boolean authorize) {
            String prefix = "listener.name." + SECURE_LISTENER.toLowerCase(Locale.ROOT) + ".";
            Map<String, String> props = new LinkedHashMap<>();
            props.put(prefix + SslConfigs.SSL_PROTOCOL_CONFIG, TLS_VERSION);
            props.put(prefix + SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, TLS_VERSION);
            props.put(prefix + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, TestCertificates.Stores.TYPE);
            props.put(prefix + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, stores.keyStore().toString());
            props.put(prefix + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, stores.password());
            props.put(prefix + SslConfigs.SSL_KEY_PASSWORD_CONFIG, stores.password());
            props.put(prefix + "ssl.client.auth", "none");
            props.put(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
            props.put(prefix + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + "." + SaslConfigs.SASL_JAAS_CONFIG,
                    ScramLoginModule.class.getName() + " required;");
            if (authorize) {
                props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                props.put("allow.everyone.if.no.acl.found", "false");
                // ANONYMOUS: the plaintext controller, inter-broker and kit listeners, which only this JVM reaches.
                props.put("super.users", "User:" + ADMIN_USER + ";User:ANONYMOUS");
            }
            return props;
        }

        /**
         * {@link #securityProperties}' listener settings again under the {@value KafkaCluster#WAN_LISTENER} prefix:
         * derived from them, so the two doors cannot drift apart (same TLS version, certificate and mechanism).
         * Authorization is broker-wide and is not repeated.
         */
        private static Map<String, String> wanSecurityProperties(TestCertificates.Stores stores) {
            String secure = "listener.name." + SECURE_LISTENER.toLowerCase(Locale.ROOT) + ".";
            String wan = "listener.name." + WAN_LISTENER.toLowerCase(Locale.ROOT) + ".";
            Map<String, String> props = new LinkedHashMap<>();
            securityProperties(stores, false).forEach((key, value) -> {
                if (key.startsWith(secure)) {
                    props.put(wan + key.substring(secure.length()), value);
                }
            });
            return props;
        }

        private static String password() {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

        private static void closeQuietly(KafkaClusterTestKit kit, TcpProxy proxy, Path tlsDirectory) {
            if (proxy != null) {
                proxy.close();
            }
            if (kit != null) {
                try {
                    kit.close();
                } catch (Exception suppressed) {
                    // The start failure is the error worth reporting.
                }
            }
            if (tlsDirectory != null) {
                deleteQuietly(tlsDirectory);
            }
        }
    }
}
