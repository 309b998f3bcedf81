package dev.meridian.scheduler.messaging;

import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.scheduler.config.SchedulerConfig;
import dev.meridian.scheduler.routing.InputKind;
import dev.meridian.scheduler.routing.InputState;
import dev.meridian.service.kafka.KafkaClientSettings;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The routing inputs as one consumer reads them: every input topic and every mirror of one, assigned by hand as
 * they appear, each read from as far back as can still matter, decoded into {@link InputState}.
 *
 * <p>Manual assignment without a consumer group: every scheduler instance needs every partition. Not thread-safe:
 * the decision loop owns it.
 */
final class InputSubscription implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(InputSubscription.class.getName());

    private final SchedulerConfig config;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<InputKind, Deserializer<?>> deserializers = new EnumMap<>(InputKind.class);
    private final Set<String> assignedTopics = new HashSet<>();
    private final InputCatchUp catchUp = new InputCatchUp(Arrays.stream(InputKind.values()).map(InputKind::topic)
            .toList());

    /**
     * read_committed: the inputs are written exactly-once by metrics-ingest and the scaler; an aborted DRAIN or a
     * window of an aborted attempt must never take nodes out of routing.
     */
    InputSubscription(SchedulerConfig config, KafkaClientSettings kafka) {
        this.config = config;
        this.consumer = kafka.newConsumer("meridian-scheduler-inputs", Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer());
        deserializers.put(InputKind.POOL, ContractSerdes.poolUtilization().deserializer());
        deserializers.put(InputKind.NODE, ContractSerdes.nodeUtilization().deserializer());
        deserializers.put(InputKind.INVENTORY, ContractSerdes.fleetNode().deserializer());
        deserializers.put(InputKind.LATENCY, ContractSerdes.latencyProbe().deserializer());
        deserializers.put(InputKind.INTERRUPTION, ContractSerdes.interruption().deserializer());
        deserializers.put(InputKind.COMMAND, ContractSerdes.scaleCommand().deserializer());
        deserializers.put(InputKind.OPERATOR, ContractSerdes.operatorAction().deserializer());
    }

    KafkaConsumer<String, byte[]> consumer() {
        return consumer;
    }

    boolean hasAssignment() {
        return !consumer.assignment().isEmpty();
    }

    /** Polls once and applies what came; true when the state changed. */
    boolean pollInto(InputState state, Duration timeout) {
        boolean changed = false;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            changed |= apply(state, record);
        }
        return changed;
    }

    /** True once every input was read up to where it ended when it was assigned. */
    boolean caughtUp() {
        return catchUp.caughtUp(consumer::position);
    }

    String describeMissing() {
        return catchUp.describeMissing();
    }

    private boolean apply(InputState state, ConsumerRecord<String, byte[]> record) {
        InputKind kind = InputKind.of(record.topic()).orElse(null);
        if (kind == null) {
            return false;
        }
        try {
            Object value = record.value() == null ? null
                    : deserializers.get(kind).deserialize(record.topic(), record.value());
            return state.apply(kind, record.topic(), record.key(), value);
        } catch (RuntimeException e) {
            // Every producer validates what it publishes; a bad record here is someone else's, and must not stop
            // routing for everybody.
            LOG.log(Level.WARNING, "skipping an unreadable record at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + ": " + e.getMessage());
            return false;
        }
    }

    /** Assigns new input topics (mirrors appear whenever MirrorMaker starts copying a region). */
    void discover(Instant now) {
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(Duration.ofSeconds(10));
        List<TopicPartition> added = new ArrayList<>();
        Map<TopicPartition, InputKind> kinds = new HashMap<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : new TreeMap<>(topics).entrySet()) {
            InputKind kind = InputKind.of(topic.getKey()).orElse(null);
            if (kind == null || assignedTopics.contains(topic.getKey()) || topic.getValue().isEmpty()) {
                continue;
            }
            assignedTopics.add(topic.getKey());
            for (PartitionInfo p : topic.getValue()) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                added.add(tp);
                kinds.put(tp, kind);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
        assignment.addAll(added);
        consumer.assign(assignment);
        seek(added, kinds, now);
        catchUp.assigned(consumer.endOffsets(added, Duration.ofSeconds(10)));
        LOG.log(Level.INFO, "reading " + added.size() + " more input partitions of " + new TreeSet<>(
                added.stream().map(TopicPartition::topic).toList()));
    }

    /**
     * Compacted topics are current state: read from the start. The others only as far back as can still matter:
     * older utilization windows are stale, older drains and interruptions are over.
     */
    private void seek(List<TopicPartition> added, Map<TopicPartition, InputKind> kinds, Instant now) {
        List<TopicPartition> fromStart = new ArrayList<>();
        Map<TopicPartition, Long> fromTime = new HashMap<>();
        for (TopicPartition tp : added) {
            InputKind kind = kinds.get(tp);
            if (kind.compacted()) {
                fromStart.add(tp);
            } else {
                Duration lookback = kind == InputKind.POOL || kind == InputKind.NODE ? config.utilizationLookback()
                        : config.commandLookback();
                fromTime.put(tp, now.minus(lookback).toEpochMilli());
            }
        }
        consumer.seekToBeginning(fromStart);
        if (!fromTime.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(fromTime,
                    Duration.ofSeconds(10));
            List<TopicPartition> toEnd = new ArrayList<>();
            for (Map.Entry<TopicPartition, Long> e : fromTime.entrySet()) {
                OffsetAndTimestamp found = offsets.get(e.getKey());
                if (found == null) {
                    toEnd.add(e.getKey());
                } else {
                    consumer.seek(e.getKey(), found.offset());
                }
            }
            // Eager, not seekToEnd: that is resolved only at the next poll, and would skip what is written between
            // the look-up and then.
            consumer.endOffsets(toEnd, Duration.ofSeconds(10)).forEach(consumer::seek);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
