package dev.meridian.testkit.mirror;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import dev.meridian.testkit.kafka.KafkaCluster;

import java.time.Duration;
import java.util.ArrayList;
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
 */
public final class MultiRegionKafka implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MultiRegionKafka.class.getName());

    private final Map<String, KafkaCluster> clusters;
    private final String registryRegion;
    private final Map<String, String> mirrorProperties;
    private MirrorMakerRunner mirror;

    private MultiRegionKafka(Map<String, KafkaCluster> clusters, String registryRegion,
            Map<String, String> mirrorProperties) {
        this.clusters = clusters;
        this.registryRegion = registryRegion;
        this.mirrorProperties = Map.copyOf(mirrorProperties);
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

    /** The running MirrorMaker (its flows and properties). */
    public synchronized MirrorMakerRunner mirror() {
        if (mirror == null) {
            throw new IllegalStateException("MirrorMaker is stopped");
        }
        return mirror;
    }

    /** Starts MirrorMaker with a flow between every ordered pair of regions and waits until every flow runs. */
    public synchronized void startMirrorMaker(Duration timeout) {
        if (mirror != null) {
            return;
        }
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
        long started = System.nanoTime();
        MirrorMakerRunner runner = builder.start();
        try {
            runner.awaitRunning(timeout);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
        mirror = runner;
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.log(System.Logger.Level.INFO, () -> "MirrorMaker 2 running between " + clusters.keySet() + " in "
                + elapsed + " ms");
    }

    /** Stops MirrorMaker; it resumes from its committed offsets (kept on each target cluster) on the next start. */
    public synchronized void stopMirrorMaker() {
        if (mirror != null) {
            try {
                mirror.close();
            } finally {
                mirror = null;
            }
        }
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
        return "MultiRegionKafka" + clusters.values();
    }

    public static final class Builder {
        private final List<String> regions = new ArrayList<>();
        private String registryRegion;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<String, String> mirrorProperties = new LinkedHashMap<>();
        private boolean startMirrorMaker = true;
        private Duration mirrorTimeout = Duration.ofSeconds(60);

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

        /** A MirrorMaker property (dedicated-mode syntax), overriding the defaults above. */
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

        public MultiRegionKafka start() {
            if (regions.size() < 2) {
                throw new IllegalStateException("at least two regions are needed, got " + regions);
            }
            String registry = registryRegion == null ? regions.get(0) : registryRegion;
            if (!regions.contains(registry)) {
                throw new IllegalStateException("registry region " + registry + " is not among " + regions);
            }
            Map<String, KafkaCluster> clusters = new LinkedHashMap<>();
            MultiRegionKafka fleet = new MultiRegionKafka(clusters, registry, mirrorProperties);
            try {
                // Side by side: each cluster spends most of its start waiting on its own controller.
                Map<String, CompletableFuture<KafkaCluster>> starting = new LinkedHashMap<>();
                for (String region : regions) {
                    starting.put(region, CompletableFuture.supplyAsync(() -> KafkaCluster.builder().name(region)
                            .wanListener(true).brokerProperties(brokerProperties).start()));
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
