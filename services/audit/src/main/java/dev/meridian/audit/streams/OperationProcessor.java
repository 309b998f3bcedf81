package dev.meridian.audit.streams;

import dev.meridian.audit.chain.Mapped;
import dev.meridian.audit.chain.Operation;
import dev.meridian.audit.chain.OperationMapper;
import dev.meridian.audit.chain.PendingTx;
import dev.meridian.contracts.topic.StateStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * First stage of the chainer: each input record becomes zero or one {@link Operation}, keyed by its region for the
 * repartition that gives every region's chain a single writer.
 *
 * <p>Budget statuses are recorded only when a scope's state changes. Registry deletes and truncates wait (at most
 * {@code attributionTimeout}) for the change_log entry of their transaction, which names the actor (the login) and the
 * name the client declared (a payload detail). Every registry
 * topic has one partition, so all of them are read by the same task and share this store.
 */
final class OperationProcessor implements Processor<byte[], byte[], String, Operation> {

    private final OperationMapper mapper;
    private final ChainMetrics metrics;
    private final Duration attributionTimeout;
    private ProcessorContext<String, Operation> context;
    private KeyValueStore<String, String> budgetStates;
    private KeyValueStore<String, PendingTx> registryTx;

    OperationProcessor(OperationMapper mapper, ChainMetrics metrics, Duration attributionTimeout) {
        this.mapper = mapper;
        this.metrics = metrics;
        this.attributionTimeout = attributionTimeout;
    }

    @Override
    public void init(ProcessorContext<String, Operation> context) {
        this.context = context;
        budgetStates = context.getStateStore(StateStores.AUDIT_BUDGET_STATES);
        registryTx = context.getStateStore(StateStores.AUDIT_REGISTRY_TX);
        Duration every = attributionTimeout.dividedBy(2).isZero() ? Duration.ofMillis(1) : attributionTimeout.dividedBy(2);
        context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        Mapped mapped = mapper.map(topic, record.headers(), record.value(), record.timestamp());
        switch (mapped.kind()) {
            case OPERATION -> emit(mapped.operation(), record.timestamp());
            case BUDGET_STATE -> {
                String previous = budgetStates.get(mapped.key());
                if (!mapped.detail().equals(previous)) {
                    budgetStates.put(mapped.key(), mapped.detail());
                    emit(mapped.operation(), record.timestamp());
                } else {
                    metrics.dropped("budget state unchanged");
                }
            }
            case REGISTRY_AWAITING_ACTOR -> {
                PendingTx tx = registryTx.get(mapped.key());
                if (tx != null && tx.actor() != null) {
                    emit(mapped.operation().attributedTo(tx.actor(), tx.declaredActor()), record.timestamp());
                } else {
                    List<Operation> waiting = new ArrayList<>(tx == null ? List.of() : tx.waiting());
                    waiting.add(mapped.operation());
                    registryTx.put(mapped.key(), new PendingTx(null, null,
                            tx == null ? context.currentSystemTimeMs() : tx.seenAtMillis(), waiting));
                }
            }
            case REGISTRY_STATEMENT -> {
                PendingTx tx = registryTx.get(mapped.key());
                if (tx != null) {
                    tx.waiting().forEach(op -> emit(op.attributedTo(mapped.detail(), mapped.declaredActor()),
                            record.timestamp()));
                }
                registryTx.put(mapped.key(), new PendingTx(mapped.detail(), mapped.declaredActor(),
                        tx == null ? context.currentSystemTimeMs() : tx.seenAtMillis(), List.of()));
            }
            case DROP -> metrics.dropped(mapped.detail());
        }
    }

    private void emit(Operation operation, long timestamp) {
        context.forward(new Record<>(operation.region(), operation, timestamp));
    }

    /** Deletes whose change_log entry never came are recorded all the same, as unattributed; old actors are forgotten. */
    private void expire(long now) {
        List<String> done = new ArrayList<>();
        try (KeyValueIterator<String, PendingTx> all = registryTx.all()) {
            while (all.hasNext()) {
                KeyValue<String, PendingTx> entry = all.next();
                PendingTx tx = entry.value;
                if (now - tx.seenAtMillis() < attributionTimeout.toMillis()) {
                    continue;
                }
                tx.waiting().forEach(op -> emit(op.withActor(OperationMapper.UNATTRIBUTED), now));
                done.add(entry.key);
            }
        }
        done.forEach(registryTx::delete);
    }
}
