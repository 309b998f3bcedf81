package dev.meridian.audit.streams;

import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.Operation;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.topic.StateStores;
import java.time.Instant;
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
 * Second stage: appends each operation to its region's chain. Runs after the repartition by region, so one task,
 * and with exactly-once one transaction at a time, owns a chain: the head in the store, the appended entries and
 * the input offsets commit together, and a crash can neither fork nor repeat a chain.
 *
 * <p>Every {@code digestInterval} (wall clock) each region that grew gets a DIGEST entry: part of the chain like any
 * other, its payload naming the records it closes and the chain head, signed over its own hash.
 */
final class ChainProcessor implements Processor<String, Operation, String, AuditRecord> {

    private final AuditTopology.Settings settings;
    private final ChainMetrics metrics;
    private ProcessorContext<String, AuditRecord> context;
    private KeyValueStore<String, ChainHead> heads;
    private KeyValueStore<String, Long> seen;

    ChainProcessor(AuditTopology.Settings settings, ChainMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, AuditRecord> context) {
        this.context = context;
        heads = context.getStateStore(StateStores.AUDIT_CHAIN);
        seen = context.getStateStore(StateStores.AUDIT_SEEN);
        context.schedule(settings.digestInterval(), PunctuationType.WALL_CLOCK_TIME, this::digest);
        context.schedule(settings.dedupeWindow(), PunctuationType.WALL_CLOCK_TIME, this::forget);
    }

    @Override
    public void process(Record<String, Operation> record) {
        Operation op = record.value();
        if (op == null) {
            return;
        }
        String seenKey = op.region() + "|" + op.id();
        if (seen.get(seenKey) != null) {
            // The same event again (a producer retry, Debezium resending after a restart): chained once already.
            metrics.dropped("duplicate");
            return;
        }
        seen.put(seenKey, context.currentSystemTimeMs());
        ChainHead head = head(op.region());
        AuditRecord entry = Chains.record(head, op, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        heads.put(op.region(), Chains.advance(head, entry));
        context.forward(record.withKey(op.region()).withValue(entry));
        metrics.appended(AuditEntryKind.RECORD.name());
    }

    private ChainHead head(String region) {
        ChainHead head = heads.get(region);
        return head != null ? head : Chains.genesis();
    }

    private void digest(long now) {
        List<KeyValue<String, ChainHead>> grown = new ArrayList<>();
        try (KeyValueIterator<String, ChainHead> all = heads.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.sinceDigest() > 0) {
                    grown.add(entry);
                }
            });
        }
        for (KeyValue<String, ChainHead> entry : grown) {
            String region = entry.key;
            ChainHead head = entry.value;
            AuditRecord digest = Chains.digest(head, region, Instant.ofEpochMilli(now), settings.signer(),
                    settings.source());
            heads.put(region, Chains.advance(head, digest));
            context.forward(new Record<>(region, digest, now));
            metrics.appended(AuditEntryKind.DIGEST.name());
        }
    }

    private void forget(long now) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            all.forEachRemaining(entry -> {
                if (now - entry.value >= settings.dedupeWindow().toMillis()) {
                    old.add(entry.key);
                }
            });
        }
        old.forEach(seen::delete);
    }
}
