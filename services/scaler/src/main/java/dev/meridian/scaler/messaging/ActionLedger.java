package dev.meridian.scaler.messaging;

import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.scaler.config.ScalerConfig;
import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.service.kafka.KafkaLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * What the API can say about actions: every action on {@code meridian.operator.actions.v1} (PENDING until its result)
 * and the results the scaler published ({@code meridian.operator.action-results.v1}), both read from the beginning,
 * newest {@code meridian.scaler.actions.remembered} kept. Every instance reads both, so any of them answers for an
 * action another one took.
 */
@ApplicationScoped
public class ActionLedger {

    private static final Logger LOG = Logger.getLogger(ActionLedger.class);

    /** An action and what became of it; {@code result} empty while pending. */
    public record Entry(OperatorAction action, Optional<ActionResult> result) {
    }

    private final KafkaClientSettings kafka;
    private final int remembered;
    private final Map<String, Entry> entries;
    private KafkaLoop loop;

    ActionLedger(KafkaClientSettings kafka, ScalerConfig config) {
        this.kafka = kafka;
        this.remembered = config.actions().remembered();
        this.entries = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > remembered;
            }
        };
    }

    void start(@Observes StartupEvent event) {
        loop = KafkaLoop.start("meridian-scaler-action-ledger", Duration.ofSeconds(2), this::follow);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    /** Remembers an action just published, so that it answers PENDING until its result comes. */
    public synchronized void published(OperatorAction action) {
        entries.putIfAbsent(action.actionId(), new Entry(action, Optional.empty()));
    }

    public synchronized Optional<Entry> find(String actionId) {
        return Optional.ofNullable(entries.get(actionId));
    }

    /** The newest first, those {@code visible} lets through, at most {@code limit}. */
    public synchronized List<Entry> newest(Predicate<OperatorAction> visible, int limit) {
        List<Entry> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparing((Entry entry) -> entry.action().requestedAt()).reversed());
        return all.stream().filter(entry -> visible.test(entry.action())).limit(limit).toList();
    }

    synchronized void requested(OperatorAction action) {
        entries.putIfAbsent(action.actionId(), new Entry(action, Optional.empty()));
    }

    synchronized void record(ActionResult result) {
        entries.remove(result.action().actionId());
        entries.put(result.action().actionId(), new Entry(result.action(), Optional.of(result)));
    }

    private void follow(KafkaLoop loop) {
        // Bytes, read one by one: a record that does not parse is skipped, never a poll that fails for good.
        try (KafkaConsumer<String, byte[]> consumer = loop.wakeOnStop(kafka.newConsumer(
                "meridian-scaler-action-ledger", Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer()))) {
            List<TopicPartition> partitions = java.util.stream.Stream.of(TopicCatalog.OPERATOR_ACTIONS,
                            TopicCatalog.OPERATOR_ACTION_RESULTS)
                    .flatMap(topic -> consumer.partitionsFor(topic).stream())
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (loop.running()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        if (record.topic().equals(TopicCatalog.OPERATOR_ACTIONS)) {
                            requested(ContractJson.read(record.value(), OperatorAction.class));
                        } else {
                            record(ContractJson.read(record.value(), ActionResult.class));
                        }
                    } catch (RuntimeException unreadable) {
                        LOG.warnf("record at %s-%d@%d skipped: %s", record.topic(), record.partition(),
                                record.offset(), unreadable.getMessage());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            LOG.debug("action results follower stopped");
        }
    }
}
