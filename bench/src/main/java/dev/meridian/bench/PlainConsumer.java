package dev.meridian.bench;

import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.intake.Verdict;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The least any windowing must do per sample, without Streams, state stores or transactions: read a batch of raw
 * records as the topology's consumer does, parse and validate each with the intake's validator, fold the valid ones
 * into a per-node sum in a HashMap.
 *
 * <p>One consumer and one map for a whole series, on a thread of its own, as the topology keeps its consumer and its
 * open windows: its CPU is then the {@link CpuUsage.Group#PLAIN} group's alone.
 */
final class PlainConsumer implements AutoCloseable {

    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(task -> new Thread(task, CpuUsage.PLAIN_THREAD));
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SampleValidator validator;
    private final Map<String, double[]> folded = new HashMap<>();

    /** What a batch held, as the plain consumer saw it. */
    record Read(long valid, long invalid) {
    }

    /** @param config the stream thread's main consumer settings, read_committed, without group membership */
    PlainConsumer(Map<String, Object> config, SampleValidator validator) {
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.validator = validator;
    }

    /** Reads {@code [from, to)} of every partition on the consumer's thread; returns once all is read. */
    Read read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) throws Exception {
        try {
            return thread.submit(() -> readOnThisThread(from, to)).get();
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private Read readOnThisThread(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        long valid = 0;
        long invalid = 0;
        long expected = to.entrySet().stream().mapToLong(e -> e.getValue() - from.get(e.getKey())).sum();
        while (valid + invalid < expected) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (validator.validate(record.value()) instanceof Verdict.Accepted<NodeMetric> accepted) {
                    NodeMetric sample = accepted.value();
                    double[] sums = folded.computeIfAbsent(sample.nodeId(), node -> new double[2]);
                    sums[0] += sample.gpuUtil();
                    sums[1]++;
                    valid++;
                } else {
                    invalid++;
                }
            }
        }
        return new Read(valid, invalid);
    }

    @Override
    public void close() {
        thread.execute(consumer::close);
        thread.shutdown();
    }
}
