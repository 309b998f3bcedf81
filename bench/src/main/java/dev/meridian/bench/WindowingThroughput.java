package dev.meridian.bench;

import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.streams.TopologySettings;
import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import dev.meridian.testkit.kafka.KafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Windowing throughput of the metrics-ingest topology ({@link IngestUnderTest}: the service's topology and Kafka
 * Streams settings, exactly-once) against a {@link PlainConsumer} doing the same parse, validation and fold into a
 * HashMap, on one in-process broker, in one run.
 *
 * <pre>
 * bench/run WindowingThroughput [throughput] [nodes …] [--pairs N] [--batch N] [--max-warmup N]
 *     default: 5000 50000 nodes, 5 pairs of 1,000,000 samples, at most 15 warm-up batches
 * bench/run WindowingThroughput live [nodes] [--step N] [--step-seconds N] [--max-warmup N]
 *     default: 5000 nodes, offered rate 20,000, 40,000 … samples/s, 30 s a step
 * JAVA_TOOL_OPTIONS="-Dbench.guarantee=at_least_once -Dbench.streams.commit.interval.ms=200" bench/run …
 *     overrides the service's Streams settings ({@link IngestUnderTest}) for one run
 * </pre>
 *
 * <p><b>Throughput</b>, per node count: one topology instance (fresh application id) for the whole series, paused
 * once running, and one plain consumer. Each batch is preloaded into {@code meridian.metrics.raw.v1} (keyed by nodeId,
 * 1 % invalid) while the topology is paused; then the plain consumer reads it (assigned, seeked to the batch) and the
 * topology is resumed until it has committed the end of raw, then paused again — in alternating order — each timed
 * with its CPU by thread group ({@link CpuUsage}); then the batch is deleted from raw. Warm-up batches run the same
 * way until one shows the JIT under 1 % of the JVM's CPU (or {@code --max-warmup} is reached); then the measured
 * pairs. At the end the node windows ({@code meridian.utilization.node.v1}) must hold every valid sample of the
 * pairs, the DLQ every invalid one, and no sample may have been dropped as late.
 *
 * <p>Windows close by wall clock, so the samples' stamps decide when: the topology gets the service's 10 s windows
 * with a grace of {@link #HORIZON}, and a batch is stamped inside the window that closes when wanted, however long
 * ago it started. Warm-up samples go into a window that closes only after the run; the pairs' samples all go into
 * one window that closes a margin after the pairs are expected to end (1.5 × the last warm-up batch's time per pair,
 * plus a minute). The pairs therefore never emit a window while timed, and the windows close soon after them.
 *
 * <p><b>Live</b>: the service's windows (10 s, grace 5 s) and samples stamped with the current time, produced at an
 * offered rate that steps up until the topology no longer keeps up: per step the consumer lag (raw end offsets − the
 * stream thread's consumer position, Kafka's {@code records-lag}, every second; committed offsets trail by up to a
 * commit interval by design) and the node windows' emission delay after close; the figure is the highest rate with lag
 * under 1 s worth of samples and emission p99 ≤ 1 s.
 */
public final class WindowingThroughput {

    /** Throughput runs: the windows' grace, the longest a run may take without a window closing by surprise. */
    static final Duration HORIZON = Duration.ofHours(6);
    static final double TARGET_RATE = 100_000;
    static final double TARGET_RATIO = 0.5;
    private static final double WARM_JIT_SHARE = 0.01;
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);

    private WindowingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        System.out.println("Streams settings (the service's unless overridden): " + IngestUnderTest.describeSettings());
        IngestUnderTest.outOfSyncWithService().forEach(difference -> System.out.println(
                "WARNING: the service's application.properties has " + difference + ": update IngestUnderTest"));
        try (KafkaCluster kafka = KafkaCluster.builder().name("bench").createCatalogTopics(true).start();
                Admin admin = admin(kafka);
                KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            if (arguments.live()) {
                WindowingLive.run(kafka, admin, producer, arguments);
            } else {
                throughput(kafka, admin, producer, arguments);
            }
            System.out.println("after the run: " + Footprint.now());
        }
    }

    private static void throughput(KafkaCluster kafka, Admin admin, KafkaProducer<byte[], byte[]> producer,
            Arguments arguments) throws Exception {
        List<SeriesResult> results = new ArrayList<>();
        for (int nodes : arguments.nodes()) {
            results.add(new Series(kafka, admin, producer, nodes, arguments).run());
        }
        System.out.printf("%n== Summary: medians over the pairs [range]; CPU in µs per sample ==%n");
        System.out.printf("%-7s %-9s %-31s %7s %7s %7s %7s %6s %6s %6s%n", "nodes", "", "samples/s", "stream",
                "prod-io", "plain", "broker", "GC", "JIT", "JVM");
        results.forEach(SeriesResult::printSummary);
        boolean met = results.stream().allMatch(SeriesResult::met);
        System.out.printf("target ≥ 100k samples/s and ≥ 0.5 of the plain consumer: %s%n", met ? "met" : "not met");
    }

    /** One node count: its own topology instance, warm-up, pairs and checks. */
    private static final class Series {

        private final KafkaCluster kafka;
        private final Admin admin;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Arguments arguments;
        private final SampleFeed feed;
        private final TumblingWindows windows;

        Series(KafkaCluster kafka, Admin admin, KafkaProducer<byte[], byte[]> producer, int nodes,
                Arguments arguments) {
            this.kafka = kafka;
            this.admin = admin;
            this.producer = producer;
            this.arguments = arguments;
            this.feed = new SampleFeed(nodes);
            this.windows = new TumblingWindows(TopologySettings.defaults().windows().size(), HORIZON);
        }

        SeriesResult run() throws Exception {
            System.out.printf("%n== %,d nodes: %d pairs of %,d samples ==%n", feed.nodeCount(), arguments.pairs(),
                    arguments.batch());
            TopologySettings settings = withNodeLimitFor(new TopologySettings(windows,
                    new NodeLiveness(windows, 3, HORIZON.plusHours(1)), TopologySettings.defaults().emitInterval(),
                    TopologySettings.defaults().poolSettle()), feed.nodeCount());
            try (IngestUnderTest topology = IngestUnderTest.start(kafka, feed.nodeCount() + "-nodes", settings, true)) {
                Map<String, Object> plainConfig = topology.plainConsumerConfig();
                System.out.println("plain consumer settings: " + new TreeMap<>(plainConfig));
                try (PlainConsumer plain = new PlainConsumer(plainConfig, IngestUnderTest.validator())) {
                    Round lastWarmUp = warmUp(topology, plain);
                    return measure(topology, plain, pairsWindow(lastWarmUp));
                }
            }
        }

        /**
         * The window the pairs' samples go into: it closes a margin after the pairs are expected to end (1.5 × the
         * last warm-up batch's time per pair, plus a minute), so that none is late and the checks wait little.
         */
        private Instant pairsWindow(Round lastWarmUp) {
            Duration allowance = Duration.ofSeconds(60).plusMillis(
                    (long) (1.5 * arguments.pairs() * lastWarmUp.whole().seconds() * 1000));
            if (allowance.compareTo(HORIZON.minusMinutes(10)) > 0) {
                throw new IllegalStateException("the pairs would take about " + allowance.toMinutes()
                        + " min: more than the windows' grace allows; use fewer or smaller batches");
            }
            Instant windowStart = windowClosingAt(Instant.now().plus(allowance));
            Instant closes = windows.closesAt(windowStart);
            System.out.printf("pairs: stamped inside the window that closes at %s, in %d s%n",
                    LocalTime.ofInstant(closes, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS),
                    Duration.between(Instant.now(), closes).toSeconds());
            return windowStart;
        }

        /** The timed pairs, then the checks of what the topology made of them. */
        private SeriesResult measure(IngestUnderTest topology, PlainConsumer plain, Instant windowStart)
                throws Exception {
            Map<TopicPartition, Long> nodeWindowsFrom = Offsets.end(admin, TopicCatalog.UTILIZATION_NODE);
            Map<TopicPartition, Long> dlqFrom = Offsets.end(admin, TopicCatalog.METRICS_DLQ);
            long lateBefore = topology.metrics.late.get();
            long refusedBefore = topology.metrics.refused.get();
            List<Round> pairs = new ArrayList<>();
            for (int pair = 1; pair <= arguments.pairs(); pair++) {
                Round round = round(topology, plain, windowStart, pair % 2 == 1);
                round.print("pair " + pair + "/" + arguments.pairs());
                pairs.add(round);
            }
            long valid = pairs.stream().mapToLong(round -> round.batch().valid()).sum();
            long invalid = pairs.stream().mapToLong(round -> round.batch().invalid()).sum();
            topology.resume();
            Outputs outputs = countOutputs(windowStart, nodeWindowsFrom, dlqFrom, valid);
            return new SeriesResult(feed.nodeCount(), pairs, new Checks(outputs, valid, invalid,
                    topology.metrics.late.get() - lateBefore, topology.metrics.refused.get() - refusedBefore));
        }

        /** Batch after batch until one shows the JIT under 1 % of the CPU, or the cap: returns the last. */
        private Round warmUp(IngestUnderTest topology, PlainConsumer plain) throws Exception {
            // Closes after the run: warm-up windows are never emitted, in particular not while a pair is timed.
            Instant windowStart = windowClosingAt(Instant.now().plus(HORIZON));
            for (int batch = 1; ; batch++) {
                Round round = round(topology, plain, windowStart, batch % 2 == 1);
                round.print("warm-up " + batch);
                boolean warm = round.whole().jitShare() < WARM_JIT_SHARE;
                if (warm || batch == arguments.maxWarmUp()) {
                    System.out.printf("warm-up: %s after %d batches (JIT %.1f %% of the JVM's CPU in the last)%n",
                            warm ? "done" : "CAPPED, the JIT is still busy", batch, round.whole().jitShare() * 100);
                    return round;
                }
            }
        }

        /**
         * The start of the first window that closes at or after {@code close}: with the long grace, a window that
         * started in the past for any {@code close} within the grace from now.
         */
        private Instant windowClosingAt(Instant close) {
            Instant start = windows.startOf(close.minus(windows.size()).minus(windows.grace()));
            return windows.closesAt(start).isBefore(close) ? start.plus(windows.size()) : start;
        }

        /** One batch: preloaded, then read by both, in the given order, then deleted from raw. */
        private Round round(IngestUnderTest topology, PlainConsumer plain, Instant windowStart, boolean plainFirst)
                throws Exception {
            CpuUsage.Snapshot start = CpuUsage.snapshot();
            Batch batch = preload(windowStart);
            CpuUsage plainUsage = plainFirst ? readPlain(plain, batch) : null;
            CpuUsage topologyUsage = drain(topology, batch);
            if (!plainFirst) {
                plainUsage = readPlain(plain, batch);
            }
            // Raw only: the DLQ gets 1 % of a batch, and changelogs are compacted topics, which DeleteRecords refuses.
            Offsets.deleteBefore(admin, batch.to());
            return new Round(batch, plainUsage, topologyUsage, CpuUsage.snapshot().since(start), plainFirst,
                    loadAverage());
        }

        private Batch preload(Instant windowStart) throws Exception {
            Map<TopicPartition, Long> from = Offsets.end(admin, TopicCatalog.METRICS_RAW);
            AtomicLong failed = new AtomicLong();
            long valid = 0;
            for (int i = 0; i < arguments.batch(); i++) {
                // spread over a second of the window, as agents' clocks would be
                SampleFeed.Sample sample = feed.next(windowStart.plusMillis(i % 1000));
                producer.send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, sample.key(), sample.value()),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
                valid += sample.valid() ? 1 : 0;
            }
            producer.flush();
            Map<TopicPartition, Long> to = Offsets.end(admin, TopicCatalog.METRICS_RAW);
            if (failed.get() > 0 || Offsets.between(from, to) != arguments.batch()) {
                throw new IllegalStateException("preload failed: " + failed.get() + " sends failed, "
                        + Offsets.between(from, to) + " of " + arguments.batch() + " records on raw");
            }
            return new Batch(from, to, valid, arguments.batch() - valid);
        }

        private CpuUsage readPlain(PlainConsumer plain, Batch batch) throws Exception {
            CpuUsage.Snapshot start = CpuUsage.snapshot();
            PlainConsumer.Read read = plain.read(batch.from(), batch.to());
            CpuUsage usage = CpuUsage.snapshot().since(start);
            if (read.valid() != batch.valid()) {
                throw new IllegalStateException("the plain consumer found " + read.valid() + " valid samples, not "
                        + batch.valid());
            }
            return usage;
        }

        /** Resumed until the topology has committed the batch's end of raw, then paused again. */
        private CpuUsage drain(IngestUnderTest topology, Batch batch) throws Exception {
            CpuUsage.Snapshot start = CpuUsage.snapshot();
            topology.resume();
            topology.awaitCommitted(admin, batch.to(), PHASE_TIMEOUT);
            CpuUsage usage = CpuUsage.snapshot().since(start);
            topology.pause();
            return usage;
        }

        /**
         * Waits for the pairs' window to close and be emitted — the topology runs meanwhile, so that its wall-clock
         * punctuator emits —, then counts what reached the node windows and the DLQ.
         */
        private Outputs countOutputs(Instant windowStart, Map<TopicPartition, Long> nodeWindowsFrom,
                Map<TopicPartition, Long> dlqFrom, long valid) throws InterruptedException {
            Duration untilClosed = Duration.between(Instant.now(), windows.closesAt(windowStart));
            System.out.printf("checks: waiting %d s for the pairs' window to close and be emitted…%n",
                    Math.max(0, untilClosed.toSeconds()));
            TimeUnit.MILLISECONDS.sleep(Math.max(0, untilClosed.toMillis()));
            AtomicLong sampleCount = new AtomicLong();
            AtomicLong nodeWindows = new AtomicLong();
            Offsets.readCommitted(kafka.bootstrapServers(), nodeWindowsFrom, record -> {
                NodeUtilization window = ContractJson.readUnchecked(record.value(), NodeUtilization.class);
                if (window.windowStart().equals(windowStart)) {
                    sampleCount.addAndGet(window.sampleCount());
                    nodeWindows.incrementAndGet();
                }
            }, () -> sampleCount.get() >= valid, Duration.ofMinutes(2));
            AtomicLong deadLetters = new AtomicLong();
            Offsets.readCommitted(kafka.bootstrapServers(), dlqFrom, record -> deadLetters.incrementAndGet(),
                    () -> true, Duration.ZERO);
            return new Outputs(nodeWindows.get(), sampleCount.get(), deadLetters.get());
        }
    }

    /** The service's settings, with a node limit that no benchmark fleet reaches: no sample is refused for it. */
    static TopologySettings withNodeLimitFor(TopologySettings settings, int nodes) {
        return new TopologySettings(settings.windows(), settings.liveness(), settings.emitInterval(),
                settings.poolSettle(), Math.max(settings.nodeLimit(), nodes));
    }

    /** Raw offsets {@code [from, to)} of a preloaded batch, and how many of its samples are valid. */
    private record Batch(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, long valid, long invalid) {

        long samples() {
            return valid + invalid;
        }
    }

    /** One batch read by both; {@code whole} spans the preload, both reads and the clean-up. */
    private record Round(Batch batch, CpuUsage plain, CpuUsage topology, CpuUsage whole, boolean plainFirst,
            double load) {

        double plainRate() {
            return batch.samples() / plain.seconds();
        }

        double topologyRate() {
            return batch.samples() / topology.seconds();
        }

        void print(String label) {
            System.out.printf("%-14s (%s first) plain %,9.0f/s  topology %,9.0f/s  ratio %.2f  JIT %.1f %% of CPU  "
                            + "load %.2f%n", label, plainFirst ? "plain" : "topology", plainRate(), topologyRate(),
                    topologyRate() / plainRate(), whole.jitShare() * 100, load);
            printCpu("  plain", plain, batch.samples());
            printCpu("  topology", topology, batch.samples());
        }

        private static void printCpu(String label, CpuUsage usage, long samples) {
            System.out.printf("%-14s µs/sample: stream %.2f  prod-io %.2f  plain %.2f  broker %.2f  GC %.2f  JIT %.2f"
                            + "  JVM %.2f%n", label, usage.micros(CpuUsage.Group.STREAM, samples),
                    usage.micros(CpuUsage.Group.PRODUCER_IO, samples), usage.micros(CpuUsage.Group.PLAIN, samples),
                    usage.micros(CpuUsage.Group.BROKER, samples), usage.gcMicros(samples), usage.jitMicros(samples),
                    usage.processMicros(samples));
        }
    }

    /** What reached the topics from the pairs: node windows of their window, Σ of their sampleCount, DLQ records. */
    private record Outputs(long nodeWindows, long sampleCount, long deadLetters) {
    }

    /** The pairs' outputs against their inputs; late drops and windowing refusals must not have happened. */
    private record Checks(Outputs outputs, long valid, long invalid, long late, long refused) {

        boolean passed() {
            return outputs.sampleCount() == valid && outputs.deadLetters() == invalid && late == 0 && refused == 0;
        }

        @Override
        public String toString() {
            return String.format("Σ sampleCount %,d %s valid %,d (%,d node windows); DLQ %,d %s invalid %,d; "
                            + "late drops %,d; refused %,d: %s", outputs.sampleCount(),
                    outputs.sampleCount() == valid ? "=" : "≠", valid, outputs.nodeWindows(), outputs.deadLetters(),
                    outputs.deadLetters() == invalid ? "=" : "≠", invalid, late, refused, passed() ? "ok" : "FAILED");
        }
    }

    private record SeriesResult(int nodes, List<Round> pairs, Checks checks) {

        double plainRate() {
            return median(pairs, Round::plainRate);
        }

        double topologyRate() {
            return median(pairs, Round::topologyRate);
        }

        double ratio() {
            return topologyRate() / plainRate();
        }

        boolean met() {
            return checks.passed() && topologyRate() >= TARGET_RATE && ratio() >= TARGET_RATIO;
        }

        void printSummary() {
            printRow("plain", Round::plainRate, Round::plain);
            printRow("topology", Round::topologyRate, Round::topology);
            System.out.printf("%-7s topology / plain %.2f; load %.2f–%.2f; checks: %s%n", "", ratio(),
                    pairs.stream().mapToDouble(Round::load).min().orElse(0),
                    pairs.stream().mapToDouble(Round::load).max().orElse(0), checks);
            System.out.printf("%-7s target ≥ 100k samples/s and ≥ 0.5 of the plain consumer: %s%n", "",
                    met() ? "met" : "not met");
        }

        private void printRow(String label, ToDoubleFunction<Round> rate, Function<Round, CpuUsage> usage) {
            ToDoubleFunction<CpuUsage.Group> group = g -> median(pairs,
                    r -> usage.apply(r).micros(g, r.batch().samples()));
            System.out.printf("%-7s %-9s %,9.0f [%,9.0f – %,9.0f] %7.2f %7.2f %7.2f %7.2f %6.2f %6.2f %6.2f%n",
                    String.format("%,d", nodes), label, median(pairs, rate),
                    pairs.stream().mapToDouble(rate).min().orElse(0), pairs.stream().mapToDouble(rate).max().orElse(0),
                    group.applyAsDouble(CpuUsage.Group.STREAM), group.applyAsDouble(CpuUsage.Group.PRODUCER_IO),
                    group.applyAsDouble(CpuUsage.Group.PLAIN), group.applyAsDouble(CpuUsage.Group.BROKER),
                    median(pairs, r -> usage.apply(r).gcMicros(r.batch().samples())),
                    median(pairs, r -> usage.apply(r).jitMicros(r.batch().samples())),
                    median(pairs, r -> usage.apply(r).processMicros(r.batch().samples())));
        }
    }

    private static <T> double median(List<T> values, ToDoubleFunction<T> of) {
        double[] sorted = values.stream().mapToDouble(of).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The 1-minute load average. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Admin admin(KafkaCluster kafka) {
        Map<String, Object> config = new HashMap<>(kafka.adminConfig());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, CpuUsage.BENCH_MARK + "admin");
        return Admin.create(config);
    }

    /** Agents' side: batches of many samples, as a fleet's agents together would send them. */
    private static KafkaProducer<byte[], byte[]> producer(KafkaCluster kafka) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, CpuUsage.BENCH_MARK + "producer",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.ACKS_CONFIG, "1"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The command line; see the class comment. */
    record Arguments(boolean live, List<Integer> nodes, int pairs, int batch, int maxWarmUp, int step,
            int stepSeconds) {

        static Arguments parse(String[] args) {
            boolean live = false;
            List<Integer> nodes = new ArrayList<>();
            Map<String, Integer> options = new HashMap<>(Map.of("--pairs", 5, "--batch", 1_000_000,
                    "--max-warmup", 15, "--step", 20_000, "--step-seconds", 30));
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i == 0 && (arg.equals("live") || arg.equals("throughput"))) {
                    live = arg.equals("live");
                } else if (options.containsKey(arg) && i + 1 < args.length) {
                    options.put(arg, positive(args[++i], arg));
                } else {
                    nodes.add(positive(arg, "nodes"));
                }
            }
            if (nodes.isEmpty()) {
                nodes = live ? List.of(5_000) : List.of(5_000, 50_000);
            }
            if (live && nodes.size() > 1) {
                throw usage("live takes one node count");
            }
            int stepSeconds = options.get("--step-seconds");
            if (stepSeconds < WindowingLive.MIN_STEP.toSeconds()) {
                throw usage("--step-seconds must be at least " + WindowingLive.MIN_STEP.toSeconds());
            }
            return new Arguments(live, List.copyOf(nodes), options.get("--pairs"), options.get("--batch"),
                    options.get("--max-warmup"), options.get("--step"), stepSeconds);
        }

        private static int positive(String value, String what) {
            try {
                int parsed = Integer.parseInt(value.replace("_", ""));
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw usage(what + " must be a positive number, was " + value);
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(problem + "; usage: bench/run WindowingThroughput [throughput] "
                    + "[nodes …] [--pairs N] [--batch N] [--max-warmup N] | live [nodes] [--step N] "
                    + "[--step-seconds N] [--max-warmup N]");
        }
    }

}
