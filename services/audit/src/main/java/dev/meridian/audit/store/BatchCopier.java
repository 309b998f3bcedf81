package dev.meridian.audit.store;

import java.sql.SQLException;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Stores one polled batch with its offsets, exactly once, by the cheapest path that works for it: split over two
 * connections ({@link SplitCopy}) or streamed over one ({@link StreamingCopy}); repeated through staging when an entry
 * of it is stored already; bisected ({@link IsolatingCopy}) once PostgreSQL refused one of its records. The writer's
 * loop calls {@link #writeBatch} until the batch commits.
 */
final class BatchCopier implements AutoCloseable {

    /** How an attempt at a batch ended, when it did not throw. */
    enum Outcome {
        COMMITTED,
        /** An entry is stored already; never returned by {@link #writeBatch}, which then goes through staging. */
        DUPLICATE,
        /** Nothing was written: PostgreSQL lost batches it acknowledged, read again from the stored offsets. */
        TAIL_LOST
    }

    private final BatchLedger ledger;
    private final StreamingCopy streaming;
    private final IsolatingCopy isolating;
    /** Null with one connection. */
    private final SplitCopy split;

    BatchCopier(StoreWriter.Settings settings, String topic, WriterConnections connections, StoredOffsets offsets,
            WriterMetrics metrics, PayloadVault vault) {
        this.ledger = new BatchLedger(topic, offsets, metrics);
        BatchContext batch = new BatchContext(settings, topic, connections, offsets, ledger, vault);
        this.streaming = new StreamingCopy(batch);
        this.isolating = new IsolatingCopy(batch);
        this.split = settings.connections() < 2 ? null : new SplitCopy(batch);
    }

    /**
     * One attempt at the batch, in its own transaction(s); a failed attempt leaves nothing of it stored.
     *
     * @param isolate after an attempt failed with {@link SqlFailures#refusesContent}: find and quarantine the records
     *                PostgreSQL refuses, store the rest
     * @return {@link Outcome#COMMITTED} or {@link Outcome#TAIL_LOST}
     */
    Outcome writeBatch(ConsumerRecords<String, byte[]> records, boolean isolate) throws SQLException {
        try {
            Outcome outcome = isolate ? isolating.write(records)
                    : split == null ? streaming.write(records, false) : split.write(records);
            if (outcome == Outcome.DUPLICATE) {
                // An entry of the batch is stored already (a replay after the offsets were lost, or a record the
                // log holds twice): the slower set-based path skips it.
                outcome = streaming.write(records, true);
            }
            if (outcome == Outcome.TAIL_LOST) {
                // Partitions the writer created in those transactions are gone with them.
                ledger.forget();
            }
            return outcome;
        } catch (SQLException e) {
            // A partition may have been dropped (retention) or the database replaced: check them again.
            ledger.forget();
            throw e;
        }
    }

    @Override
    public void close() {
        if (split != null) {
            split.close();
        }
    }
}
