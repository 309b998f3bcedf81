package dev.meridian.audit.store;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Decides, record by record, what of a batch the store takes: a record whose offset is stored already is skipped (a
 * replay, or a batch another writer stored first); one that is not an audit entry, or whose content or time the store
 * must not hold, is refused for the quarantine; the rest are admitted. Every record read, skipped or not, moves its
 * partition's next offset, which the batch stores.
 *
 * <p>One per attempt at a batch. Every write path screens through it, so a batch stores the same rows and offsets
 * whichever path takes it.
 */
final class RecordScreen {

    /** An admitted entry with where it was read, for the isolating path's refusals. */
    record Read(LogEntry entry, ConsumerRecord<String, byte[]> record) {
    }

    /** A batch admitted whole, before anything is copied: its entries and the months they fall in. */
    record Admitted(List<Read> reads, Set<YearMonth> months) {
        List<LogEntry> entries() {
            List<LogEntry> entries = new ArrayList<>(reads.size());
            reads.forEach(read -> entries.add(read.entry()));
            return entries;
        }
    }

    private final Map<Integer, Long> stored;
    private final StoreWriter.Limits limits;
    private final Instant now;
    private final Map<Integer, Long> next = new HashMap<>();
    private final List<Refusal> refusals = new ArrayList<>();
    private int skipped;

    /**
     * @param stored the offsets stored when the batch's transaction began
     * @param now    the time the store's limits are measured from
     */
    RecordScreen(Map<Integer, Long> stored, StoreWriter.Limits limits, Instant now) {
        this.stored = stored;
        this.limits = limits;
        this.now = now;
    }

    /** The record as an entry the store can take; null when it is skipped or refused (then it is in refusals()). */
    LogEntry admit(ConsumerRecord<String, byte[]> record) {
        next.merge(record.partition(), record.offset() + 1, Math::max);
        Long storedNext = stored.get(record.partition());
        if (storedNext != null && record.offset() < storedNext) {
            skipped++;
            return null;
        }
        LogEntry entry;
        try {
            entry = LogEntry.parse(record.value());
        } catch (RuntimeException e) {
            refusals.add(new Refusal(Refusal.Kind.MALFORMED, "not an audit entry: " + e.getMessage(),
                    record.partition(), record.offset(), record.value(), null));
            return null;
        }
        Refusal refusal = entry.screen(record.partition(), record.offset(), record.value(), limits, now);
        if (refusal != null) {
            refusals.add(refusal);
            return null;
        }
        return entry;
    }

    /** For the paths that need the whole batch parsed first; the one-connection path screens as it copies instead. */
    Admitted admitAll(ConsumerRecords<String, byte[]> records) {
        List<Read> reads = new ArrayList<>(records.count());
        Set<YearMonth> months = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            LogEntry entry = admit(record);
            if (entry != null) {
                reads.add(new Read(entry, record));
                months.add(YearMonth.from(entry.time().atOffset(ZoneOffset.UTC)));
            }
        }
        return new Admitted(reads, months);
    }

    /** The next offset of every partition screened so far. */
    Map<Integer, Long> next() {
        return next;
    }

    /** The records refused so far; a path that finds more refused (PostgreSQL's refusals) adds them here. */
    List<Refusal> refusals() {
        return refusals;
    }

    /** How many records were skipped because their offset was stored already. */
    int skipped() {
        return skipped;
    }
}
