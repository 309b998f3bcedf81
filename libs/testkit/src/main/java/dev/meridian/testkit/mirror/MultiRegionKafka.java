package dev.meridian.testkit.mirror;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import dev.meridian.testkit.kafka.KafkaCluster;
import dev.meridian.testkit.kafka.KafkaUserAcls;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Meridian's production topology on one machine: one Kafka cluster per region, each with every catalog topic it
 * owns, and MirrorMaker 2 copying exactly the topics the catalog marks <em>crosses regions</em> from every region to
 * every other, under the source prefix ({@code eu-west.meridian.utilization.pool.v1}). Services are not started
 * here (the kit does not depend on them): a test or the sandbox runs each region's services against
 * {@link #cluster(String)}{@code .bootstrapServers()}, exactly as they would run on a single cluster.
 *
 * <p>The registry is global and captured in one region ({@link Builder#registryRegion}): only there do the
 * {@code meridian.fleet.config.*} topics exist; every other region reads their mirrors. Each cluster has a WAN
 * listener behind a {@link dev.meridian.testkit.net.TcpProxy}, and MirrorMaker reaches every cluster only through
 * it, so {@link #cut(String)} is a real network partition of a region (its own services keep running against its
 * own cluster) and {@link #restore(String)} heals it, on the same ports.
 *
 * <p>{@link Builder#secure(boolean) Secure}, the links are production's: every cluster authorizes with deploy/'s
 * ACLs ({@link KafkaUserAcls#fromDeploy()}) and its WAN listener speaks SASL_SSL (SCRAM-SHA-512, TLS 1.3). Each region
 * then runs its own MirrorMaker, as deploy/overlays/&lt;region&gt;/mirror-maker.yaml does (Strimzi's
 * {@code KafkaMirrorMaker2}): one Kafka Connect worker in the region's cluster ({@link MirrorConnectWorker}), in
 * Connect group {@value #CONNECT_GROUP}, running for each peer a {@code MirrorSourceConnector} and a
 * {@code MirrorHeartbeatConnector}. It writes into its own cluster as {@value #MIRROR_MAKER_USER} (plus the overlay's
 * {@code All} on {@code <peer>.}) and reads every peer as that peer's {@value #MIRROR_SOURCE_USER}, so a right that
 * deploy/ lacks shows up as a flow that does not run.
 */
public final class MultiRegionKafka implements AutoCloseable {

    /** What a peer region's MirrorMaker may read from a cluster (deploy/kafka/users.yaml). */
    public static final String MIRROR_SOURCE_USER = "meridian-mirror-source";
    /** What a region's own MirrorMaker writes into its cluster as (deploy/kafka/users.yaml and the overlays). */
    public static final String MIRROR_MAKER_USER = "meridian-mirror-maker";
    /**
     * The Connect group of a secure fleet's MirrorMaker in each region, and the prefix of its config, offset and
     * status topics: Strimzi's names for a {@code KafkaMirrorMaker2}, the only ones deploy/ grants
     * {@value #MIRROR_MAKER_USER}. One group per cluster is why each region's MirrorMaker is one Connect worker for all
     * its peers, not dedicated mode's herder (and group) per peer.
     */
    public static final String CONNECT_GROUP = "mirrormaker2-cluster";

    private static final System.Logger LOG = System.getLogger(MultiRegionKafka.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, KafkaCluster> clusters;
    private final String registryRegion;
    private final Map<String, String> mirrorProperties;
    private final boolean secure;
    /** Secure fleets only: region, then MirrorMaker user, to the password it was created with. */
    private final Map<String, Map<String, String>> mirrorPasswords = new LinkedHashMap<>();
    private final List<Mirror> mirrors = new ArrayList<>();

    private MultiRegionKafka(Map<String, KafkaCluster> clusters, String registryRegion,
            Map<String, String> mirrorProperties, boolean secure) {
        this.clusters = clusters;
        this.registryRegion = registryRegion;
        this.mirrorProperties = Map.copyOf(mirrorProperties);
        this.secure = secure;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The region aliases, in the order they were added. */
    public List<String> regions() {
        return List.copyOf(clusters.keySet());
    }

    public KafkaCluster cluster(String region) {
        KafkaCluster cluster = clusters.get(region);
        if (cluster == null) {
            throw new IllegalArgumentException("no region " + region + ", regions are " + clusters.keySet());
        }
        return cluster;
    }

    /** The region whose cluster holds the registry's own {@code meridian.fleet.config.*} topics. */
    public String registryRegion() {
        return registryRegion;
    }

    /** The catalog topics that cross regions, sorted: what MirrorMaker copies, and nothing else. */
    public static SortedSet<String> crossRegionTopics() {
        return TopicCatalog.all().stream().filter(TopicSpec::crossesRegions).map(TopicSpec::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The catalog topics a region's cluster owns: all of them, less the registry's outside its region. */
    public List<TopicSpec> ownedTopics(String region) {
        cluster(region);
        return TopicCatalog.all().stream()
                .filter(spec -> region.equals(registryRegion) || !spec.name().startsWith(TopicCatalog.FLEET_CONFIG_PREFIX))
                .toList();
    }

    /** Which of {@code region}'s own topics MirrorMaker copies out, as the exact-name regex its flows use. */
    public String outboundTopicsRegex(String region) {
        return ownedTopics(region).stream().filter(TopicSpec::crossesRegions)
                .map(spec -> Pattern.quote(spec.name()))
                .collect(Collectors.joining("|"));
    }

    /** Whether the fleet was started {@link Builder#secure(boolean) secure}. */
    public boolean secure() {
        return secure;
    }

    /**
     * The running MirrorMaker (its flows and properties), when there is one: a secure fleet runs a Connect worker per
     * region instead, see {@link #mirrors()} and {@link #connectWorker(String)}.
     */
    public synchronized MirrorMakerRunner mirror() {
        if (mirrors.isEmpty()) {
            throw new IllegalStateException("MirrorMaker is stopped");
        }
        if (mirrors.size() > 1 || !(mirrors.get(0) instanceof MirrorMakerRunner runner)) {
            throw new IllegalStateException(mirrors.size() + " MirrorMakers run, one per target region; see mirrors()");
        }
        return runner;
    }

    /**
     * Every running MirrorMaker: one {@link MirrorMakerRunner} for the whole fleet, or with {@link Builder#secure} one
     * {@link MirrorConnectWorker} per region, in the order of {@link #regions()}. Empty while MirrorMaker is stopped.
     */
    public synchronized List<Mirror> mirrors() {
        return List.copyOf(mirrors);
    }

    /** A secure fleet's MirrorMaker in {@code region}: the Connect worker copying every peer into it. */
    public synchronized MirrorConnectWorker connectWorker(String region) {
        cluster(region);
        if (!secure) {
            throw new IllegalStateException("the fleet is not secure (Builder.secure): one MirrorMaker runs in "
                    + "dedicated mode, see mirror()");
        }
        return mirrors.stream().map(MirrorConnectWorker.class::cast).filter(worker -> worker.target().equals(region))
                .findFirst().orElseThrow(() -> new IllegalStateException("MirrorMaker is stopped"));
    }

    /**
     * Client settings for {@code region}'s WAN listener, logged in as one of the MirrorMaker users a secure fleet made
     * there ({@value #MIRROR_SOURCE_USER} or {@value #MIRROR_MAKER_USER}) with the very password MirrorMaker uses: a
     * test probes what those principals may do without resetting the password under the running MirrorMaker, as
     * {@link KafkaCluster#kafkaUser} would. A fresh mutable map each call.
     */
    public Map<String, Object> wanClientProperties(String region, String user) {
        KafkaCluster cluster = cluster(region);
        if (!secure) {
            throw new IllegalStateException("the fleet is not secure (Builder.secure): its WAN listeners take anyone");
        }
        String password = mirrorPasswords.get(region).get(user);
        if (password == null) {
            throw new IllegalArgumentException("no MirrorMaker user " + user + "; there are "
                    + mirrorPasswords.get(region).keySet());
        }
        return cluster.wanClientProperties(user, password);
    }

    /**
     * Starts MirrorMaker with a flow between every ordered pair of regions and waits until every flow runs. A secure
     * fleet starts one Connect worker per region, copying from every peer into it; they start side by side.
     */
    public synchronized void startMirrorMaker(Duration timeout) {
        if (!mirrors.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        List<Mirror> runners = new ArrayList<>();
        try {
            if (secure) {
                for (String region : clusters.keySet()) {
                    runners.add(connectWorkerInto(region).start());
                }
            } else {
                runners.add(sharedMirror().start());
            }
            for (Mirror runner : runners) {
                runner.awaitRunning(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (RuntimeException e) {
            for (Mirror runner : runners) {
                try {
                    runner.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        mirrors.addAll(runners);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.log(System.Logger.Level.INFO, () -> "MirrorMaker 2 running between " + clusters.keySet()
                + (secure ? " (TLS, deploy/'s ACLs)" : "") + " in " + elapsed + " ms");
    }

    /** One MirrorMaker for every flow, reaching every cluster through its WAN listener with no login. */
    private MirrorMakerRunner.Builder sharedMirror() {
        MirrorMakerRunner.Builder builder = MirrorMakerRunner.builder();
        clusters.forEach((alias, cluster) -> builder.cluster(alias, cluster.wanBootstrapServers()));
        for (String source : clusters.keySet()) {
            for (String target : clusters.keySet()) {
                if (!source.equals(target)) {
                    builder.flow(source, target, outboundTopicsRegex(source));
                }
            }
        }
        mirrorProperties.forEach(builder::property);
        return builder;
    }

    /**
     * {@code target}'s own MirrorMaker, as the overlay deploys it: one Connect worker in {@code target}'s cluster,
     * logged in there as {@value #MIRROR_MAKER_USER} (worker, producers, consumers, admin and each connector's target
     * side), in group {@value #CONNECT_GROUP}, with a source and a heartbeat connector for each peer, which they read
     * as that peer's {@value #MIRROR_SOURCE_USER}.
     *
     * <p>The target, too, is reached through its WAN listener, where production's MirrorMaker uses the internal
     * listener beside it: the proxy is the kit's only switch for a partition, and {@link #cut} must stop the flows
     * into a region as well as those out of it, as in the plaintext fleet. Same users, same ACLs, either door.
     */
    private MirrorConnectWorker.Builder connectWorkerInto(String target) {
        MirrorConnectWorker.Builder builder = MirrorConnectWorker.builder(target,
                wanClientProperties(target, MIRROR_MAKER_USER)).group(CONNECT_GROUP);
        for (String peer : clusters.keySet()) {
            if (!peer.equals(target)) {
                builder.source(peer, wanClientProperties(peer, MIRROR_SOURCE_USER), outboundTopicsRegex(peer));
            }
        }
        mirrorProperties.forEach((key, value) -> {
            MirrorProperty property = MirrorProperty.parse(key, clusters.keySet());
            if (property.source() == null) {
                builder.connectorProperty(property.key(), value);
            } else if (property.target().equals(target)) {
                builder.flowProperty(property.source(), property.key(), value);
            }
        });
        return builder;
    }

    /**
     * A {@link Builder#mirrorProperty} in dedicated-mode syntax, as a secure fleet's connectors take it: a top-level
     * key (source and target null) or one of the flow {@code <source>-><target>.}.
     */
    private record MirrorProperty(String source, String target, String key) {

        static MirrorProperty parse(String key, Collection<String> regions) {
            int arrow = key.indexOf("->");
            if (arrow > 0) {
                int dot = key.indexOf('.', arrow);
                String source = key.substring(0, arrow);
                String target = dot < 0 ? "" : key.substring(arrow + 2, dot);
                if (!regions.contains(source) || !regions.contains(target)) {
                    throw new IllegalArgumentException("MirrorMaker property " + key + " names a flow between regions "
                            + "not among " + regions);
                }
                return new MirrorProperty(source, target, key.substring(dot + 1));
            }
            int dot = key.indexOf('.');
            if (dot > 0 && regions.contains(key.substring(0, dot))) {
                // Dedicated mode's cluster settings: here each cluster's client settings are its login, the fleet's.
                throw new IllegalArgumentException("MirrorMaker property " + key + " sets a cluster's client settings, "
                        + "which a secure fleet's logins own; set a connector property (no prefix) or a flow's "
                        + "(<source>-><target>.)");
            }
            return new MirrorProperty(null, null, key);
        }
    }

    /** Stops MirrorMaker; it resumes from its committed offsets (kept on each target cluster) on the next start. */
    public synchronized void stopMirrorMaker() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Mirror runner : mirrors) {
            try {
                runner.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        mirrors.clear();
        if (!failures.isEmpty()) {
            RuntimeException failure = failures.get(0);
            failures.subList(1, failures.size()).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /**
     * Creates the MirrorMaker users in {@code region} with fresh passwords, and grants {@value #MIRROR_MAKER_USER} the
     * copies of every peer ({@code All} on the prefix {@code <peer>.}), as each overlay patches its {@code KafkaUser}.
     */
    private void createMirrorUsers(String region, KafkaUserAcls acls) {
        KafkaCluster cluster = cluster(region);
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : List.of(MIRROR_SOURCE_USER, MIRROR_MAKER_USER)) {
            acls.of(user);
            String password = password();
            cluster.scramUser(user, password);
            passwords.put(user, password);
        }
        mirrorPasswords.put(region, passwords);
        List<AclBinding> copies = clusters.keySet().stream()
                .filter(peer -> !peer.equals(region))
                .map(peer -> new AclBinding(new ResourcePattern(ResourceType.TOPIC, peer + ".", PatternType.PREFIXED),
                        new AccessControlEntry(KafkaUserAcls.principal(MIRROR_MAKER_USER), "*", AclOperation.ALL,
                                AclPermissionType.ALLOW)))
                .toList();
        cluster.grant(copies);
    }

    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Cuts {@code region}'s wide-area link: MirrorMaker can neither read from nor write to its cluster. */
    public void cut(String region) {
        cluster(region).cutWan();
    }

    /** Heals {@code region}'s link; MirrorMaker reconnects and copies what it missed. */
    public void restore(String region) {
        cluster(region).restoreWan();
    }

    @Override
    public synchronized void close() {
        List<RuntimeException> failures = new ArrayList<>();
        try {
            stopMirrorMaker();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        for (KafkaCluster cluster : clusters.values()) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("could not stop every region cleanly");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "MultiRegionKafka" + (secure ? "[secure]" : "") + clusters.values();
    }

    public static final class Builder {
        private final List<String> regions = new ArrayList<>();
        private String registryRegion;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<String, String> mirrorProperties = new LinkedHashMap<>();
        private boolean startMirrorMaker = true;
        private Duration mirrorTimeout = Duration.ofSeconds(60);
        private boolean secure;

        private Builder() {
            // One direction per flow writes only to its target: offset syncs stay where the copies are, so a cut
            // region is not written to by flows that merely read from it.
            mirrorProperties.put("offset-syncs.topic.location", "target");
        }

        /** Adds a region: one single-broker cluster named after it, with a WAN listener. */
        public Builder region(String alias) {
            Objects.requireNonNull(alias, "alias");
            if (regions.contains(alias)) {
                throw new IllegalArgumentException("region " + alias + " added twice");
            }
            regions.add(alias);
            return this;
        }

        public Builder regions(String... aliases) {
            for (String alias : aliases) {
                region(alias);
            }
            return this;
        }

        /** Where the registry is captured; its topics exist only there. Default: the first region. */
        public Builder registryRegion(String alias) {
            this.registryRegion = Objects.requireNonNull(alias, "alias");
            return this;
        }

        /** A broker setting for every region's cluster. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        /**
         * A MirrorMaker property (dedicated-mode syntax), overriding the defaults above. A {@link #secure} fleet, whose
         * MirrorMakers are connectors on Connect workers, gives a top-level key to every connector and a
         * {@code <source>-><target>.} key to that flow's connectors, and refuses a cluster's ({@code <region>.}).
         */
        public Builder mirrorProperty(String key, String value) {
            mirrorProperties.put(key, value);
            return this;
        }

        /** Whether {@link #start()} also starts MirrorMaker (default true); otherwise call startMirrorMaker. */
        public Builder startMirrorMaker(boolean start) {
            this.startMirrorMaker = start;
            return this;
        }

        public Builder mirrorTimeout(Duration timeout) {
            this.mirrorTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Whether MirrorMaker's links are production's (default false: plaintext, no logins, nothing refused). Secure,
         * every cluster enforces deploy/'s ACLs ({@link KafkaCluster.Builder#acls}), its WAN listener speaks SASL_SSL,
         * and each region's own MirrorMaker, one Kafka Connect worker as Strimzi runs it, logs in as deploy/'s
         * MirrorMaker users; see the class comment. Any number of regions. The kit's plaintext door
         * ({@link KafkaCluster#bootstrapServers()}) stays open for the test's own clients and the services under test.
         */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        public MultiRegionKafka start() {
            if (regions.size() < 2) {
                throw new IllegalStateException("at least two regions are needed, got " + regions);
            }
            String registry = registryRegion == null ? regions.get(0) : registryRegion;
            if (!regions.contains(registry)) {
                throw new IllegalStateException("registry region " + registry + " is not among " + regions);
            }
            if (secure) {
                // A property the connectors cannot take should fail now, not after every cluster has started.
                mirrorProperties.keySet().forEach(key -> MirrorProperty.parse(key, regions));
            }
            KafkaUserAcls acls = secure ? KafkaUserAcls.fromDeploy() : null;
            Map<String, KafkaCluster> clusters = new LinkedHashMap<>();
            MultiRegionKafka fleet = new MultiRegionKafka(clusters, registry, mirrorProperties, secure);
            try {
                // Side by side: each cluster spends most of its start waiting on its own controller.
                Map<String, CompletableFuture<KafkaCluster>> starting = new LinkedHashMap<>();
                for (String region : regions) {
                    starting.put(region, CompletableFuture.supplyAsync(() -> {
                        KafkaCluster.Builder builder = KafkaCluster.builder().name(region).wanListener(true)
                                .brokerProperties(brokerProperties);
                        if (acls != null) {
                            builder.acls(acls);
                        }
                        return builder.start();
                    }));
                }
                RuntimeException failure = null;
                for (Map.Entry<String, CompletableFuture<KafkaCluster>> region : starting.entrySet()) {
                    try {
                        clusters.put(region.getKey(), region.getValue().join());
                    } catch (CompletionException e) {
                        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                                : new IllegalStateException(region.getKey() + ": could not start", e.getCause());
                        if (failure == null) {
                            failure = cause;
                        } else {
                            failure.addSuppressed(cause);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
                for (String region : regions) {
                    clusters.get(region).createTopics(fleet.ownedTopics(region));
                    if (acls != null) {
                        fleet.createMirrorUsers(region, acls);
                    }
                }
                if (startMirrorMaker) {
                    fleet.startMirrorMaker(mirrorTimeout);
                }
                return fleet;
            } catch (RuntimeException e) {
                try {
                    fleet.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }
}
