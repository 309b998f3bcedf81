package dev.meridian.bench;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.streams.TopologySettings;
import dev.meridian.testkit.kafka.KafkaCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench/run WindowingThroughput live}: the topology with the service's windows, fed samples stamped with the
 * current time at an offered rate that steps up; see {@link WindowingThroughput}.
 */
final class WindowingLive {

    /** A window and its grace: windows closing within this of a step's start hold samples of the step before. */
    static final Duration WINDOW_SPAN = TopologySettings.defaults().windows().size()
            .plus(TopologySettings.defaults().windows().grace());
    /** A step's emission delays are those after its first {@link #WINDOW_SPAN}, and a window must close in them. */
    static final Duration MIN_STEP = WINDOW_SPAN.plus(TopologySettings.defaults().windows().size()).plusSeconds(5);
    private static final long MAX_EMISSION_P99_MILLIS = 1_000;
    private static final int MAX_STEPS = 20;

    private final Admin admin;
    private final IngestUnderTest topology;
    private final PacedProducer producer;
    private final int stepSeconds;

    private WindowingLive(Admin admin, IngestUnderTest topology, PacedProducer producer, int stepSeconds) {
        this.admin = admin;
        this.topology = topology;
        this.producer = producer;
        this.stepSeconds = stepSeconds;
    }

    static void run(KafkaCluster kafka, Admin admin, KafkaProducer<byte[], byte[]> kafkaProducer,
            WindowingThroughput.Arguments arguments) throws Exception {
        int nodes = arguments.nodes().get(0);
        System.out.printf("%n== live: %,d nodes, the service's windows, steps of %,d samples/s, %d s each ==%n", nodes,
                arguments.step(), arguments.stepSeconds());
        try (IngestUnderTest topology = IngestUnderTest.start(kafka, "live-" + nodes,
                WindowingThroughput.withNodeLimitFor(TopologySettings.defaults(), nodes), false);
                PacedProducer producer = new PacedProducer(kafkaProducer, new SampleFeed(nodes))) {
            new WindowingLive(admin, topology, producer, arguments.stepSeconds()).steps(arguments);
        }
    }

    private void steps(WindowingThroughput.Arguments arguments) throws Exception {
        for (int warmUp = 1; ; warmUp++) {
            Step step = step(arguments.step());
            step.print("warm-up " + warmUp);
            if (step.usage().jitShare() < 0.01 || warmUp == arguments.maxWarmUp()) {
                break;
            }
        }
        int sustained = 0;
        for (int rate = arguments.step(); rate <= MAX_STEPS * arguments.step(); rate += arguments.step()) {
            Step step = step(rate);
            step.print("step");
            if (!step.kept()) {
                break;
            }
            sustained = rate;
        }
        System.out.printf("live: highest offered rate with lag < 1 s of samples and node-window emission p99 ≤ 1 s: "
                + "%,d samples/s (target ≥ 100k: %s)%n", sustained, sustained >= WindowingThroughput.TARGET_RATE
                ? "met" : "not met");
    }

    /** One step at {@code rate}: lag sampled every second, emission delays of the windows the step filled alone. */
    private Step step(int rate) throws Exception {
        CpuUsage.Snapshot start = CpuUsage.snapshot();
        long sentBefore = producer.sent();
        long lateBefore = topology.metrics.late.get();
        producer.rate(rate);
        long maxLag = 0;
        long startNanos = System.nanoTime();
        for (int second = 1; second <= stepSeconds; second++) {
            LockSupport.parkNanos(startNanos + TimeUnit.SECONDS.toNanos(second) - System.nanoTime());
            maxLag = Math.max(maxLag, lag());
            if (second == WINDOW_SPAN.toSeconds()) {
                topology.metrics.drainEmissionMillis();
            }
        }
        List<Long> emission = topology.metrics.drainEmissionMillis();
        CpuUsage usage = CpuUsage.snapshot().since(start);
        Offsets.deleteBefore(admin, Offsets.committed(admin, topology.applicationId(), TopicCatalog.METRICS_RAW));
        return new Step(rate, (producer.sent() - sentBefore) / usage.seconds(), maxLag, emission,
                topology.metrics.late.get() - lateBefore, usage, producer.sent() - sentBefore);
    }

    /** Raw records the topology's consumer has not reached yet. */
    private long lag() {
        return topology.consumerLag();
    }

    private record Step(int rate, double sentRate, long maxLag, List<Long> emissionMillis, long late, CpuUsage usage,
            long samples) {

        long emissionP99() {
            return ThroughTheBroker.percentile(emissionMillis, 0.99);
        }

        /** The figure's conditions; a producer that fell short did not offer the rate, so the step does not count. */
        boolean kept() {
            return sentRate >= 0.98 * rate && maxLag < rate && !emissionMillis.isEmpty()
                    && emissionP99() <= MAX_EMISSION_P99_MILLIS && late == 0;
        }

        void print(String label) {
            System.out.printf("%-10s offered %,7d/s (sent %,7.0f/s): lag max %,8d (%.2f s), node-window emission "
                            + "p50 %,d ms p99 %,d ms max %,d ms (n=%,d), late %,d, µs/sample stream %.2f prod-io %.2f "
                            + "broker %.2f JVM %.2f, JIT %.1f %%, load %.2f: %s%n", label, rate, sentRate, maxLag,
                    (double) maxLag / rate, ThroughTheBroker.percentile(emissionMillis, 0.5), emissionP99(),
                    ThroughTheBroker.percentile(emissionMillis, 1.0), emissionMillis.size(), late,
                    usage.micros(CpuUsage.Group.STREAM, samples), usage.micros(CpuUsage.Group.PRODUCER_IO, samples),
                    usage.micros(CpuUsage.Group.BROKER, samples), usage.processMicros(samples),
                    usage.jitShare() * 100, WindowingThroughput.loadAverage(), kept() ? "kept up" : "did NOT keep up");
        }
    }

    /**
     * Sends the feed's samples, stamped when sent, at the rate set last, from a thread of its own: the agents of a
     * fleet. Falling behind (a full send buffer), it catches up as fast as it can; the step reports what it sent.
     */
    private static final class PacedProducer implements AutoCloseable {

        private final KafkaProducer<byte[], byte[]> producer;
        private final SampleFeed feed;
        private final AtomicLong sent = new AtomicLong();
        private final Thread thread;
        private volatile Pace pace = new Pace(0, System.nanoTime(), 0);
        private volatile boolean running = true;

        private record Pace(int rate, long fromNanos, long fromSent) {

            long due(long nanos) {
                return fromSent + (long) ((nanos - fromNanos) * (rate / 1e9));
            }
        }

        PacedProducer(KafkaProducer<byte[], byte[]> producer, SampleFeed feed) {
            this.producer = producer;
            this.feed = feed;
            this.thread = new Thread(this::sendPaced, CpuUsage.BENCH_MARK + "live-producer");
            thread.start();
        }

        void rate(int rate) {
            pace = new Pace(rate, System.nanoTime(), sent.get());
        }

        long sent() {
            return sent.get();
        }

        private void sendPaced() {
            while (running) {
                long due = pace.due(System.nanoTime());
                while (sent.get() < due && running) {
                    SampleFeed.Sample sample = feed.next(Instant.ofEpochMilli(System.currentTimeMillis()));
                    producer.send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, sample.key(), sample.value()));
                    sent.incrementAndGet();
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.flush();
        }
    }
}
