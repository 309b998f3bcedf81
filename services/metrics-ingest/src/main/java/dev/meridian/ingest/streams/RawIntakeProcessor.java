package dev.meridian.ingest.streams;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.ContractViolationException;
import dev.meridian.contracts.validation.Violation;
import dev.meridian.ingest.intake.DeadLetters;
import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.RawFormat;
import dev.meridian.ingest.intake.ValidatedBy;
import dev.meridian.ingest.intake.Verdict;
import dev.meridian.ingest.remotewrite.NodeSeriesSample;
import dev.meridian.ingest.remotewrite.NodeSeriesSample.GpuReading;
import dev.meridian.ingest.remotewrite.NodeSeriesSample.NodeCounters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Validates each raw record — or only parses it when one of ingest's doors validated it ({@link ValidatedBy}) —, turns
 * counter readings into rates, and routes every record: to the windowing of this task, back to the raw topic keyed by
 * its node (a valid sample on another partition), or to the DLQ.
 */
final class RawIntakeProcessor implements Processor<byte[], byte[], byte[], RawIntake.Routed> {

    /** Rule of a record the intake itself failed on; it is dead-lettered like any other. */
    static final String RULE_PROCESSING = "processing";
    /** Rule of a raw record whose {@code meridian_format} header names no known format. */
    static final String RULE_FORMAT = Checks.FORMAT;
    /** Rule of a counter reading keyed by another node than it names: its state would live on the wrong task. */
    static final String RULE_KEY = "key";
    private static final Duration FORGET_CHECK = Duration.ofSeconds(30);

    private final RawIntake.Settings settings;
    private ProcessorContext<byte[], RawIntake.Routed> context;
    private KeyValueStore<String, CounterState> store;

    RawIntakeProcessor(RawIntake.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<byte[], RawIntake.Routed> context) {
        this.context = context;
        this.store = context.getStateStore(RawIntake.COUNTERS_STORE);
        context.schedule(FORGET_CHECK, PunctuationType.WALL_CLOCK_TIME,
                now -> forgetSilentNodes(Instant.ofEpochMilli(now)));
    }

    /** Drops the counter readings of nodes silent for the LEFT timeout: a store keyed by node ends with the node. */
    private void forgetSilentNodes(Instant now) {
        Instant horizon = now.minus(settings.countersForgotten());
        List<String> silent = new ArrayList<>();
        try (KeyValueIterator<String, CounterState> it = store.all()) {
            it.forEachRemaining(entry -> {
                if (entry.value.newest().isBefore(horizon)) {
                    silent.add(entry.key);
                }
            });
        }
        silent.forEach(store::delete);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Optional<RecordMetadata> source = context.recordMetadata();
        Optional<Door> validatedBy = ValidatedBy.of(record.headers());
        Door door = validatedBy.orElse(Door.KAFKA);
        Verdict<NodeMetric> verdict;
        try {
            verdict = evaluate(record, validatedBy.isPresent());
        } catch (RuntimeException e) {
            verdict = new Verdict.Rejected<>(Violation.FIELD_ROOT, RULE_PROCESSING, "ingest failed on the record: " + e);
        }
        if (verdict == null) {
            return;
        }
        if (verdict instanceof Verdict.Accepted<NodeMetric> accepted) {
            NodeMetric metric = accepted.value();
            // A marked record is windowed where it is even off its node's partition: only a partitioner other than
            // Kafka's default puts it there, and moving it again would loop.
            boolean windowedHere = validatedBy.isPresent()
                    || onItsNodePartition(record.key(), metric.nodeId(), source);
            RecordHeaders headers = new RecordHeaders();
            if (!windowedHere) {
                // Back to the raw topic keyed by its node, checked: windowed on that node's task, parsed only.
                headers.add(RawFormat.HEADER, RawFormat.NODE_METRIC.headerValue());
                ValidatedBy.mark(headers, Door.KAFKA);
            } else {
                // The windowing names the door of a sample it refuses.
                ValidatedBy.mark(headers, door);
                if (settings.nodeTopicTap()) {
                    CloudEventHeaders.write(headers, new CloudEventAttributes(eventId(source), settings.ceSource(),
                            ContractType.NODE_METRIC.ceType(), metric.timestamp(), metric.region()));
                }
            }
            context.forward(record.withValue((RawIntake.Routed) new RawIntake.Routed.ToNode(metric, windowedHere))
                    .withTimestamp(metric.timestamp().toEpochMilli())
                    .withHeaders(headers));
            if (validatedBy.isEmpty()) {
                // A door that validated a sample counted it there.
                settings.metrics().accepted(Door.KAFKA);
            }
            return;
        }
        Verdict.Rejected<NodeMetric> rejected = (Verdict.Rejected<NodeMetric>) verdict;
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.write(headers, rejected, door, settings.validator().clock().instant());
        source.ifPresent(s -> DeadLetters.writeSource(headers, s.topic(), s.partition(), s.offset()));
        context.forward(record.withValue((RawIntake.Routed) new RawIntake.Routed.ToDeadLetter(record.value()))
                .withHeaders(headers));
        settings.metrics().rejected(door, rejected.rule());
    }

    /**
     * @param validated whether a door of ours validated the record already: then a sample is only parsed
     * @return the verdict, or null when the record only primed or re-primed a node's counters
     */
    private Verdict<NodeMetric> evaluate(Record<byte[], byte[]> record, boolean validated) {
        if (record.value() == null) {
            return new Verdict.Rejected<>(Violation.FIELD_ROOT, ContractJson.RULE_JSON, "malformed JSON: empty record");
        }
        Optional<RawFormat> format = RawFormat.of(record.headers());
        if (format.isEmpty()) {
            return new Verdict.Rejected<>(RawFormat.HEADER, RULE_FORMAT, RawFormat.HEADER + " names no known format");
        }
        return switch (format.get()) {
            case NODE_METRIC -> validated ? parsed(record.value()) : settings.validator().validate(record.value());
            case PROMETHEUS_NODE -> counters(record);
        };
    }

    private static Verdict<NodeMetric> parsed(byte[] json) {
        try {
            return new Verdict.Accepted<>(ContractJson.readUnchecked(json, NodeMetric.class));
        } catch (ContractViolationException e) {
            return Verdict.Rejected.of(e);
        }
    }

    private Verdict<NodeMetric> counters(Record<byte[], byte[]> record) {
        NodeSeriesSample sample;
        try {
            sample = ContractJson.read(record.value(), NodeSeriesSample.class);
        } catch (ContractViolationException e) {
            return Verdict.Rejected.of(e);
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (!sample.nodeId().equals(key)) {
            return new Verdict.Rejected<>("nodeId", RULE_KEY, "a prometheus-node record must be keyed by its nodeId ("
                    + sample.nodeId() + "), was " + key);
        }
        Optional<Violation> ahead = aheadOfTheClock(sample);
        if (ahead.isPresent()) {
            // Stored, a reading from the future would turn every later one away (order) and never be forgotten.
            return Verdict.Rejected.of(ahead.get());
        }
        CounterState state = Optional.ofNullable(store.get(sample.nodeId())).orElseGet(CounterState::empty);
        Map<String, GpuReading> gpus = merge(state.gpus(), sample.gpus(), sample.timestamp());
        NodeCounters previous = state.counters();
        if (sample.node() == null) {
            store.put(sample.nodeId(), new CounterState(previous, state.countersAt(), gpus));
            return null;
        }
        if (state.countersAt() != null && !sample.timestamp().isAfter(state.countersAt())) {
            store.put(sample.nodeId(), new CounterState(previous, state.countersAt(), gpus));
            return new Verdict.Rejected<>("timestamp", Checks.ORDER, "timestamp must be after the node's previous "
                    + "counter reading (" + state.countersAt() + "), was " + sample.timestamp());
        }
        store.put(sample.nodeId(), new CounterState(sample.node(), sample.timestamp(), gpus));
        if (previous == null || reset(previous, sample.node())) {
            // The first reading only primes; after a reset (a counter went down: the node or exporter restarted)
            // the pair spans the restart, so it primes again rather than yield a rate over an unknown interval.
            return null;
        }
        return rates(sample, previous, Duration.between(state.countersAt(), sample.timestamp()), gpus);
    }

    /** A counter or GPU reading stamped further ahead of the receiver's clock than a sample may be. */
    private Optional<Violation> aheadOfTheClock(NodeSeriesSample sample) {
        Instant now = settings.validator().clock().instant();
        Duration skew = settings.validator().maxClockSkew();
        Optional<Violation> own = Checks.clockSkew("timestamp", sample.timestamp(), now, skew);
        if (own.isPresent()) {
            return own;
        }
        for (int i = 0; i < sample.gpus().size(); i++) {
            Optional<Violation> gpu = Checks.clockSkew("gpus[" + i + "].timestamp", sample.gpus().get(i).timestamp(),
                    now, skew);
            if (gpu.isPresent()) {
                return gpu;
            }
        }
        return Optional.empty();
    }

    private Verdict<NodeMetric> rates(NodeSeriesSample sample, NodeCounters previous, Duration elapsed,
            Map<String, GpuReading> gpus) {
        NodeCounters now = sample.node();
        double seconds = elapsed.toNanos() / 1e9;
        double cpuDelta = now.cpuSecondsTotal() - previous.cpuSecondsTotal();
        double idleDelta = now.cpuIdleSecondsTotal() - previous.cpuIdleSecondsTotal();
        double cpuUtil = cpuDelta > 0 ? 100 * (cpuDelta - idleDelta) / cpuDelta : 0;
        double memUtil = 100 * (1 - now.memAvailableBytes() / now.memTotalBytes());
        List<GpuReading> fresh = gpus.values().stream()
                .filter(gpu -> !gpu.timestamp().isBefore(sample.timestamp().minus(settings.gpuMaxAge())))
                .toList();
        if (fresh.isEmpty() && sample.tier() == Tier.CORE_GPU) {
            return new Verdict.Rejected<>("gpus", Checks.REQUIRED, "CORE_GPU node " + sample.nodeId()
                    + " has no GPU reading within " + settings.gpuMaxAge() + " of " + sample.timestamp());
        }
        double gpuUtil = fresh.stream().mapToDouble(GpuReading::util).average().orElse(0);
        long used = fresh.stream().mapToLong(GpuReading::memUsedMiB).sum();
        long total = used + fresh.stream().mapToLong(GpuReading::memFreeMiB).sum();
        NodeMetric metric = new NodeMetric(sample.ref(), sample.timestamp(), fresh.size(), gpuUtil, used, total,
                cpuUtil, memUtil, (now.netRxBytesTotal() - previous.netRxBytesTotal()) / seconds,
                (now.netTxBytesTotal() - previous.netTxBytesTotal()) / seconds, null, null);
        return settings.validator().validate(metric);
    }

    private static boolean reset(NodeCounters previous, NodeCounters now) {
        return now.cpuSecondsTotal() < previous.cpuSecondsTotal()
                || now.cpuIdleSecondsTotal() < previous.cpuIdleSecondsTotal()
                || now.netRxBytesTotal() < previous.netRxBytesTotal()
                || now.netTxBytesTotal() < previous.netTxBytesTotal();
    }

    /** Newer readings replace older ones per GPU; GPUs silent for longer than the max age are forgotten. */
    private Map<String, GpuReading> merge(Map<String, GpuReading> stored, List<GpuReading> incoming, Instant now) {
        Map<String, GpuReading> merged = new HashMap<>(stored);
        for (GpuReading reading : incoming) {
            merged.merge(reading.gpu(), reading, (old, neu) -> neu.timestamp().isBefore(old.timestamp()) ? old : neu);
        }
        Instant horizon = now.minus(settings.gpuMaxAge());
        merged.values().removeIf(reading -> reading.timestamp().isBefore(horizon));
        return merged;
    }

    /**
     * Whether this task is the one that windows the node: the raw record is keyed by the node it names and sits on
     * the partition that key maps to with Kafka's default partitioner, i.e. the partition of metrics.node the sample
     * is written to and every other sample of the node is read from.
     */
    private boolean onItsNodePartition(byte[] key, String nodeId, Optional<RecordMetadata> source) {
        if (key == null || source.isEmpty()) {
            return false;
        }
        byte[] node = nodeId.getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(key, node)
                && source.get().partition() == Utils.toPositive(Utils.murmur2(key)) % settings.nodePartitions();
    }

    /** Derived from where the record was read, so a reprocessed record keeps its event id. */
    private static String eventId(Optional<RecordMetadata> source) {
        return source.map(s -> UUID.nameUUIDFromBytes((s.topic() + "/" + s.partition() + "/" + s.offset())
                .getBytes(StandardCharsets.UTF_8)).toString()).orElseGet(() -> UUID.randomUUID().toString());
    }
}
