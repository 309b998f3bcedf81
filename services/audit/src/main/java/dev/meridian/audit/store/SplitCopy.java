package dev.meridian.audit.store;

import dev.meridian.audit.store.BatchCopier.Outcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.postgresql.PGConnection;

/**
 * One batch over two connections, for a PostgreSQL that can insert on two cores: its rows are parsed first, half are
 * copied on a second connection while the other half are copied on the first, which also holds the offsets' lock; the
 * second commits first, then the first with the offsets. Both sides parse and maintain the indexes of their rows in
 * parallel, which is where a row's time goes (services/audit/README.md).
 *
 * <p>Exactly once still holds, because an entry's place in its chain is unique in the table: if the first connection
 * fails after the second committed, the batch is read again, its first half is found stored, and the staging path
 * skips it. Until then the stored offsets did not move, so the lost-tail check of {@link StoredOffsets} is unaffected.
 */
final class SplitCopy implements AutoCloseable {

    private final BatchContext context;
    /** Runs the first half of a split batch. */
    private final ExecutorService secondConnection;

    SplitCopy(BatchContext context) {
        this.context = context;
        this.secondConnection = Executors.newSingleThreadExecutor(r -> {
            Thread copier = new Thread(r, "audit-store-writer-copy");
            copier.setDaemon(true);
            return copier;
        });
    }

    Outcome write(ConsumerRecords<String, byte[]> records) throws SQLException {
        long started = System.nanoTime();
        try (Connection first = context.connections().open(); Connection second = context.connections().open()) {
            Map<Integer, Long> stored = context.offsets().openBatch(first);
            if (stored == null) {
                return Outcome.TAIL_LOST;
            }
            Instant now = context.settings().clock().instant();
            RecordScreen screen = new RecordScreen(stored, context.settings().limits(), now);
            RecordScreen.Admitted batch = screen.admitAll(records);
            List<LogEntry> entries = batch.entries();
            List<Refusal> refusals = screen.refusals();
            Map<Integer, Long> next = screen.next();
            Set<YearMonth> months = batch.months();
            Quarantine.months(refusals, now, context.settings().limits(), months);
            if (!distinctPlaces(entries)) {
                // The log holding an entry twice in one batch: split, the half copying it second would wait on the
                // other's open transaction, which waits for this thread. Staging skips the repeat instead.
                first.rollback();
                return Outcome.DUPLICATE;
            }
            // Committed on their own before either copy starts: a month created inside one of the two transactions
            // would keep the other waiting for a commit that waits for it.
            second.setAutoCommit(true);
            for (YearMonth month : months) {
                if (!context.ledger().knows(month)) {
                    AuditSchema.ensurePartition(second, month);
                }
            }
            StoredOffsets.beginBatch(second);
            int half = entries.size() / 2;
            Future<Long> secondHalf = secondConnection.submit(() -> copyAll(second, entries.subList(0, half), context.vault()));
            long copied = 0;
            Throwable failure = null;
            try {
                copied = copyAll(first, entries.subList(half, entries.size()), context.vault());
            } catch (SQLException | RuntimeException e) {
                failure = e;
                // Ends the other half's COPY on the server instead of letting it stream (or wait on a lock) to its end.
                cancelQuietly(second);
            }
            // Waited for in every case: the connection may not be rolled back, closed or pooled while still in use.
            try {
                copied += awaitUninterruptibly(secondHalf);
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
            if (failure != null) {
                // Before the second: the offset locks are what another writer may be waiting for.
                WriterConnections.rollbackQuietly(first);
                WriterConnections.rollbackQuietly(second);
                return duplicateOrThrow(failure);
            }
            try {
                second.commit();
                Quarantine.store(first, context.topic(), refusals, context.settings().source(), now,
                        context.settings().limits(), months);
                context.offsets().store(first, next);
                first.commit();
            } catch (SQLException e) {
                WriterConnections.rollbackQuietly(first);
                throw e;
            }
            context.ledger().committed(months, next, stored,
                    new BatchLedger.Counts(copied, copied, screen.skipped(), refusals), started);
            return Outcome.COMMITTED;
        }
    }

    @Override
    public void close() {
        // Not shutdownNow: a half already handed over runs to its end, so nobody waits for a dropped task.
        secondConnection.shutdown();
    }

    private static boolean distinctPlaces(List<LogEntry> entries) {
        Set<String> places = new HashSet<>(entries.size() * 2);
        for (LogEntry entry : entries) {
            if (!places.add(entry.region() + "/" + entry.sequence())) {
                return false;
            }
        }
        return true;
    }

    private static long copyAll(Connection connection, List<LogEntry> entries, PayloadVault vault)
            throws SQLException {
        if (entries.isEmpty()) {
            return 0;
        }
        CopyStream copy = CopyStream.open(connection, AuditSchema.EVENTS, vault);
        try {
            for (LogEntry entry : entries) {
                copy.row(entry);
            }
            return copy.end();
        } catch (SQLException | RuntimeException e) {
            copy.cancel();
            throw e;
        }
    }

    /** A unique violation means an entry is stored already: the caller repeats the batch through staging. */
    private static Outcome duplicateOrThrow(Throwable failure) throws SQLException {
        if (failure instanceof SQLException e) {
            if (SqlFailures.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        throw new SQLException("copy failed", failure);
    }

    private static long awaitUninterruptibly(Future<Long> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void cancelQuietly(Connection connection) {
        try {
            connection.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException ignored) {
            // Then the copy ends by itself; it is waited for either way.
        }
    }
}
