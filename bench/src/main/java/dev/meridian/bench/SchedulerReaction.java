package dev.meridian.bench;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.kafka.KafkaCluster;
import dev.meridian.testkit.quarkus.LocalHttps;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import static dev.meridian.bench.ThroughTheBroker.committedReader;
import static dev.meridian.bench.ThroughTheBroker.logAppendTime;
import static dev.meridian.bench.ThroughTheBroker.percentile;
import static dev.meridian.bench.ThroughTheBroker.print;
import static dev.meridian.bench.ThroughTheBroker.producer;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The "weights reflect a utilization record within 1 s (p99)": from a pool window being on
 * {@code meridian.utilization.pool.v1} to the weights version that reflects it being on
 * {@code meridian.routing.weights.v1}, through a real broker and the real scheduler — the packaged Quarkus app
 * ({@code services/scheduler/target/quarkus-app/quarkus-run.jar}) in a child JVM, as deployed: transactional
 * weights, {@code read_committed} inputs. Both topics use {@code LogAppendTime}, so both ends are the broker's own
 * stamps; "visible" is when a {@code read_committed} reader (as a router) has the version.
 *
 * <p>The fleet: five US regions, every one a client region, a full latency matrix, one GPU pool per region, and
 * {@code nodes} nodes in the home region us-east (node weights for every client: five decisions over all of them
 * per round). Each trigger is a pool window of us-west that flips it between saturated (0 of 8 eligible) and
 * healthy: an eligibility change, which bypasses damping, so every trigger must produce a new version. Triggers are
 * sent one at a time, the next after the previous one's version arrived and {@code pace} ms, after 20 warm-up flips
 * that are not counted (the child JVM starts cold); the latency is taken from client us-east's version. Heartbeat and staleness are set to 10 min so that no other version interleaves; the
 * damping interval stays at its default. The baseline is a plain producer → {@code read_committed} consumer round
 * trip on the same broker, paced the same way.
 *
 * <p>The scheduler is not a dependency of this module (services are deployed, not linked): build it first with
 * {@code ./mvnw -pl services/scheduler -am package -DskipTests}; {@code -Dmeridian.scheduler.jar=} overrides the
 * path.
 *
 * <pre>bench/run SchedulerReaction [triggers, default 200] [home-region nodes, default 1000] [pace ms, default 50]</pre>
 */
public final class SchedulerReaction {

    private static final String HOME = "us-east";
    private static final String FLIPPED = "us-west";
    private static final List<String> REGIONS = List.of("us-central", "us-east", "us-north", "us-south", "us-west");
    private static final String BASELINE_TOPIC = "bench.baseline.v1";
    private static final int POOL_NODES = 8;
    /** Flips before the measured ones: the child JVM starts cold, and a deployed scheduler runs warm. */
    private static final int WARM_UP = 20;

    private SchedulerReaction() {
    }

    public static void main(String[] args) throws Exception {
        int triggers = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long paceMs = args.length > 2 ? Long.parseLong(args[2]) : 50;
        Path jar = schedulerJar();
        Path dir = Files.createTempDirectory("bench-scheduler");
        try (KafkaCluster kafka = KafkaCluster.builder().name("bench").createCatalogTopics(true).start()) {
            kafka.createTopic(BASELINE_TOPIC, 3);
            logAppendTime(kafka, TopicCatalog.UTILIZATION_POOL, TopicCatalog.ROUTING_WEIGHTS, BASELINE_TOPIC);
            List<Long> baseline = ThroughTheBroker.baseline(kafka.bootstrapServers(), BASELINE_TOPIC, triggers, paceMs);

            Reaction reaction;
            String metrics;
            long schedulerRssMiB;
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                Instant now = Instant.now();
                seedRegistry(producer);
                seedInputs(producer, nodes, now);
                try (Scheduler scheduler = Scheduler.start(jar, kafka.bootstrapServers(), dir);
                        KafkaConsumer<String, byte[]> weights = committedReader(kafka.bootstrapServers(),
                                TopicCatalog.ROUTING_WEIGHTS, false)) {
                    awaitUntil(scheduler::isReady, Duration.ofSeconds(120), "scheduler ready (log: " + scheduler.log
                            + ")");
                    // The first versions reflect the seeded fleet: us-west healthy, every home node weighted.
                    if (awaitVersion(weights, w -> reflects(w, false) && homeNodes(w) == nodes,
                            Duration.ofSeconds(60)) == null) {
                        throw new IllegalStateException("no version with the seeded fleet; see " + scheduler.log);
                    }
                    Instant windowEnd = reaction(producer, weights, WARM_UP, paceMs, now, 0).lastWindowEnd();
                    reaction = reaction(producer, weights, triggers, paceMs, windowEnd, WARM_UP);
                    metrics = scheduler.metric("meridian_scheduler_weights_");
                    schedulerRssMiB = scheduler.rssMiB();
                }
            }

            System.out.printf("%d triggers after %d warm-up ones (pool window flips %s saturated ↔ healthy), %d ms "
                    + "apart after each version; 5 client regions, %d home nodes; 1 broker, 2 cores, scheduler in a "
                    + "child JVM%n", triggers, WARM_UP, FLIPPED, paceMs, nodes);
            System.out.println("                                        p50 ms   p99 ms   max ms");
            print("baseline: produce → read_committed", baseline);
            print("reaction: window → version appended", reaction.appended());
            print("reaction: window → version visible", reaction.visible());
            System.out.printf("ratio visible reaction / baseline: p50 %.1f×, p99 %.1f×; target p99 ≤ 1000 ms: %s%n",
                    (double) percentile(reaction.visible(), 0.50) / Math.max(1, percentile(baseline, 0.50)),
                    (double) percentile(reaction.visible(), 0.99) / Math.max(1, percentile(baseline, 0.99)),
                    reaction.missed() == 0 && percentile(reaction.visible(), 0.99) <= 1000 ? "met" : "NOT met");
            if (reaction.missed() > 0) {
                System.out.printf("%d triggers got no version within 30 s%n", reaction.missed());
            }
            System.out.println("scheduler counters: " + metrics);
            System.out.println("bench JVM (broker): " + Footprint.now() + "; scheduler JVM RSS " + schedulerRssMiB
                    + " MiB");
        }
    }

    record Reaction(List<Long> appended, List<Long> visible, int missed, Instant lastWindowEnd) {
    }

    /** @param first the number of flips before these: even ones saturate us-west, odd ones heal it */
    private static Reaction reaction(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> weights,
            int triggers, long paceMs, Instant lastWindowEnd, int first) throws Exception {
        Reaction reaction = new Reaction(new ArrayList<>(), new ArrayList<>(), 0, null);
        int missed = 0;
        Instant windowEnd = lastWindowEnd;
        for (int i = first; i < first + triggers; i++) {
            boolean saturated = i % 2 == 0;
            // Strictly newer than the last window of the pool, or the scheduler would keep the one it has.
            Instant now = Instant.now();
            windowEnd = now.isAfter(windowEnd) ? now : windowEnd.plusMillis(1);
            long onTopic = producer.send(poolRecord(pool(FLIPPED, saturated, windowEnd))).get().timestamp();
            Seen seen = awaitVersion(weights, w -> reflects(w, saturated), Duration.ofSeconds(30));
            if (seen == null) {
                missed++;
            } else {
                reaction.appended().add(seen.appendedAt() - onTopic);
                reaction.visible().add(seen.visibleAt() - onTopic);
            }
            TimeUnit.MILLISECONDS.sleep(paceMs);
        }
        return new Reaction(reaction.appended(), reaction.visible(), missed, windowEnd);
    }

    /** Client us-east's table has us-west excluded as saturated, or weighted. */
    private static boolean reflects(RoutingWeights weights, boolean saturated) {
        boolean excluded = weights.excluded().stream().anyMatch(e -> e.scope() == ExclusionScope.REGION
                && e.target().equals(FLIPPED) && e.reason() == ExclusionReason.SATURATED);
        boolean weighted = weights.table(Tier.CORE_GPU).map(TierTable::regions).orElse(List.of()).stream()
                .anyMatch(r -> r.region().equals(FLIPPED) && r.weight() > 0);
        return saturated ? excluded && !weighted : weighted && !excluded;
    }

    private static long homeNodes(RoutingWeights weights) {
        return weights.table(Tier.CORE_GPU).map(t -> t.nodes().stream().filter(n -> n.weight() > 0).count())
                .orElse(0L);
    }

    private record Seen(long appendedAt, long visibleAt) {
    }

    private interface Check {
        boolean holds(RoutingWeights weights);
    }

    /** The first version of client us-east that satisfies {@code check}: its append stamp and when we had it. */
    private static Seen awaitVersion(KafkaConsumer<String, byte[]> weights, Check check, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (ConsumerRecord<String, byte[]> record : weights.poll(Duration.ofMillis(5))) {
                if (HOME.equals(record.key()) && record.value() != null
                        && check.holds(ContractJson.read(record.value(), RoutingWeights.class))) {
                    return new Seen(record.timestamp(), System.currentTimeMillis());
                }
            }
        }
        return null;
    }

    /** Region rows as Debezium captures them from the registry (JSON converter without schemas). */
    private static void seedRegistry(KafkaProducer<String, byte[]> producer) throws Exception {
        for (String region : REGIONS) {
            String key = "{\"name\":\"" + region + "\"}";
            String value = "{\"before\":null,\"after\":{\"name\":\"" + region + "\",\"zone\":\"US\",\"display_name\":\""
                    + region + "\",\"changed_by\":\"bench\",\"changed_at\":\"2026-11-27T12:00:00Z\"},\"source\":"
                    + "{\"schema\":\"config\",\"table\":\"regions\",\"txId\":1,\"ts_ms\":0},\"op\":\"c\",\"ts_ms\":0}";
            producer.send(new ProducerRecord<>(TopicCatalog.fleetConfigTopic("regions"), key,
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    /** A full latency matrix, a healthy pool per region, and the home region's nodes with a window each. */
    private static void seedInputs(KafkaProducer<String, byte[]> producer, int nodes, Instant now) {
        for (String from : REGIONS) {
            for (int j = 0; j < REGIONS.size(); j++) {
                String to = REGIONS.get(j);
                LatencyProbe probe = new LatencyProbe(from, to, from.equals(to) ? 2 : 10 + 7 * j, now, "bench");
                producer.send(new ProducerRecord<>(TopicCatalog.LATENCY, probe.key(), ContractJson.write(probe)));
            }
            producer.send(poolRecord(pool(from, false, now)));
        }
        for (int n = 0; n < nodes; n++) {
            String id = HOME + "-gpu-" + n;
            FleetNode node = new FleetNode(id, HOME, HOME + "-a", "gpu", Tier.CORE_GPU, "g5.xlarge",
                    CapacityType.ON_DEMAND, NodeState.JOINED, now, now);
            NodeUtilization window = new NodeUtilization(id, HOME, HOME + "-a", "gpu", Tier.CORE_GPU, "g5.xlarge",
                    CapacityType.ON_DEMAND, now.minusSeconds(10), now, 10, 20 + n % 60, 30 + n % 60, 40, 20, 30, 1,
                    1, null, null);
            producer.send(new ProducerRecord<>(TopicCatalog.FLEET_NODES, id, ContractJson.write(node)));
            producer.send(new ProducerRecord<>(TopicCatalog.UTILIZATION_NODE, id, ContractJson.write(window)));
        }
        producer.flush();
    }

    private static PoolUtilization pool(String region, boolean saturated, Instant end) {
        return saturated
                ? new PoolUtilization(region, "gpu", Tier.CORE_GPU, end.minusSeconds(10), end, POOL_NODES, 0,
                        POOL_NODES, 0, 97, 99, 20, 60, null, null)
                : new PoolUtilization(region, "gpu", Tier.CORE_GPU, end.minusSeconds(10), end, POOL_NODES, POOL_NODES,
                        0, 0, 50, 60, 20, 40, null, null);
    }

    private static ProducerRecord<String, byte[]> poolRecord(PoolUtilization window) {
        return new ProducerRecord<>(TopicCatalog.UTILIZATION_POOL, window.key(), ContractJson.write(window));
    }

    /** The packaged scheduler as a child JVM, its log in a file, stopped on close. */
    private static final class Scheduler implements AutoCloseable {
        private final Process process;
        private final Path app;
        private final Path log;
        /** The management interface's port, where readiness and metrics are. */
        private final int managementPort;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        private Scheduler(Process process, Path app, Path log, int managementPort) {
            this.process = process;
            this.app = app;
            this.log = log;
            this.managementPort = managementPort;
        }

        static Scheduler start(Path jar, String bootstrap, Path dir) throws IOException {
            // Run a copy: a build of the scheduler during the run would replace the classes under the running JVM.
            Path app = dir.resolve("quarkus-app");
            copyTree(jar.getParent(), app);
            jar = app.resolve(jar.getFileName());
            int[] ports = freePorts(2);
            Path log = dir.resolve("scheduler.log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx512m",
                    "-Dkafka.bootstrap.servers=" + bootstrap,
                    "-Dquarkus.http.port=" + ports[0],
                    "-Dquarkus.management.port=" + ports[1],
                    "-Dquarkus.log.console.json.enabled=false",
                    "-Dmeridian.scheduler.home-regions=" + HOME,
                    // Only the triggers make versions: no heartbeat, and the seeded windows never go stale.
                    "-Dmeridian.scheduler.routing.heartbeat=10m",
                    "-Dmeridian.scheduler.routing.staleness-timeout=10m",
                    "-jar", jar.toAbsolutePath().toString()));
            command.addAll(1, LocalHttps.plainHttpFlags());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(LocalHttps.environment(dir));
            Process process = builder.start();
            return new Scheduler(process, app, log, ports[1]);
        }

        boolean isReady() {
            if (!process.isAlive()) {
                throw new IllegalStateException("the scheduler exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** The Prometheus lines of the metrics starting with {@code prefix}, joined. */
        String metric(String prefix) throws IOException, InterruptedException {
            String body = http.send(HttpRequest.newBuilder(uri("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return String.join("; ", body.lines().filter(l -> l.startsWith(prefix)).toList());
        }

        long rssMiB() {
            try {
                return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                        .filter(line -> line.startsWith("VmRSS:"))
                        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D+", "")) >> 10).findFirst().orElse(-1);
            } catch (IOException e) {
                return -1;
            }
        }

        private URI uri(String path) {
            try {
                return new URI("http://localhost:" + managementPort + path);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Stops the JVM and removes the copy of the app (~40 MB); the log stays. */
        @Override
        public void close() throws InterruptedException, IOException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            try (var paths = Files.walk(app)) {
                for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(path);
                }
            }
        }

        private static void copyTree(Path from, Path to) throws IOException {
            try (var paths = Files.walk(from)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    Files.copy(path, to.resolve(from.relativize(path).toString()));
                }
            }
        }

        /** {@code count} distinct free loopback ports: all their sockets are open at once, so none comes twice. */
        private static int[] freePorts(int count) throws IOException {
            ServerSocket[] sockets = new ServerSocket[count];
            try {
                int[] ports = new int[count];
                for (int i = 0; i < count; i++) {
                    sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    ports[i] = sockets[i].getLocalPort();
                }
                return ports;
            } finally {
                for (ServerSocket socket : sockets) {
                    if (socket != null) {
                        socket.close();
                    }
                }
            }
        }
    }

    /**
     * {@code -Dmeridian.scheduler.jar}, else {@code services/scheduler/target/quarkus-app/quarkus-run.jar} of the
     * checkout this benchmark jar was built in.
     */
    private static Path schedulerJar() throws URISyntaxException {
        String configured = System.getProperty("meridian.scheduler.jar");
        Path jar;
        if (configured != null) {
            jar = Path.of(configured);
        } else {
            // bench/target/benchmarks.jar → the checkout's root
            Path self = Path.of(SchedulerReaction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = self.toAbsolutePath().getParent().getParent().getParent();
            jar = root.resolve("services/scheduler/target/quarkus-app/quarkus-run.jar");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the scheduler is not built (" + jar + "): run "
                    + "./mvnw -pl services/scheduler -am package -DskipTests first");
        }
        return jar;
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.holds()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("timed out waiting for: " + what);
    }
}
