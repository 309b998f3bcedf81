package dev.meridian.audit.store;

import java.time.YearMonth;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the writer carries from one batch to the next: the months whose partition it created or saw created, so that a
 * batch creates a month only the first time it needs it, and, as each batch commits, the offsets PostgreSQL now holds,
 * the batch's metrics and one warning per quarantined record. Only the writer thread uses it.
 */
final class BatchLedger {

    /** The writer's logger, so that log configuration and alerts keyed on it still see these lines. */
    private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());

    /** A committed batch's counts, for the metrics. */
    record Counts(long copied, long inserted, int skipped, List<Refusal> refusals) {
    }

    private final String topic;
    private final StoredOffsets offsets;
    private final WriterMetrics metrics;
    private final Set<YearMonth> knownPartitions = new HashSet<>();

    BatchLedger(String topic, StoredOffsets offsets, WriterMetrics metrics) {
        this.topic = topic;
        this.offsets = offsets;
        this.metrics = metrics;
    }

    boolean knows(YearMonth month) {
        return knownPartitions.contains(month);
    }

    /** The months known to exist, read-only. */
    Set<YearMonth> known() {
        return Collections.unmodifiableSet(knownPartitions);
    }

    /** PostgreSQL may no longer have the partitions the writer knew of (rolled back, dropped, replaced). */
    void forget() {
        knownPartitions.clear();
    }

    /** After a batch committed: what the writer now knows of PostgreSQL, and the batch's metrics. */
    void committed(Set<YearMonth> months, Map<Integer, Long> next, Map<Integer, Long> stored, Counts counts,
            long started) {
        knownPartitions.addAll(months);
        offsets.committed(next, stored);
        for (Refusal refusal : counts.refusals()) {
            metrics.quarantined(refusal.kind().tag());
            LOG.log(System.Logger.Level.WARNING, "quarantined the audit log record at " + topic + "-"
                    + refusal.partition() + "@" + refusal.offset() + " (" + refusal.kind().tag() + "): "
                    + refusal.reason());
        }
        metrics.committed((int) counts.copied(), (int) counts.inserted(), counts.skipped(), System.nanoTime() - started);
    }
}
