package dev.meridian.audit.store;

import dev.meridian.audit.store.BatchCopier.Outcome;
import dev.meridian.audit.store.RecordScreen.Read;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The batch PostgreSQL refused for some record's content, in one transaction on one connection: its entries are
 * stored through the {@link StagingTable} by {@link Bisection}, one savepoint per attempt, so the refused ones are
 * found in O(k·log n) attempts; they are quarantined with placeholders and the batch commits with its offsets like any
 * other. Slower than the other paths, and only taken after one of them failed that way.
 */
final class IsolatingCopy {

    private final BatchContext context;

    IsolatingCopy(BatchContext context) {
        this.context = context;
    }

    Outcome write(ConsumerRecords<String, byte[]> records) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = context.connections().open()) {
            try {
                Map<Integer, Long> stored = context.offsets().openBatch(connection);
                if (stored == null) {
                    return Outcome.TAIL_LOST;
                }
                Instant now = context.settings().clock().instant();
                RecordScreen screen = new RecordScreen(stored, context.settings().limits(), now);
                RecordScreen.Admitted batch = screen.admitAll(records);
                List<Refusal> refusals = screen.refusals();
                Set<YearMonth> months = batch.months();
                for (YearMonth month : months) {
                    AuditSchema.ensurePartition(connection, month);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute(StagingTable.CREATE);
                }
                long[] inserted = {0};
                long[] copied = {0};
                List<Bisection.Refused<Read>> refused = Bisection.storeAllBut(batch.reads(), part -> {
                    Savepoint savepoint = connection.setSavepoint();
                    CopyStream copy = CopyStream.open(connection, StagingTable.NAME, context.vault());
                    try {
                        for (Read read : part) {
                            copy.row(read.entry());
                        }
                        long rows = copy.end();
                        try (Statement statement = connection.createStatement()) {
                            long added = statement.executeUpdate(StagingTable.INSERT_INTO_EVENTS);
                            statement.execute("DELETE FROM " + StagingTable.NAME);
                            inserted[0] += added;
                        }
                        copied[0] += rows;
                        connection.releaseSavepoint(savepoint);
                    } catch (SQLException | RuntimeException e) {
                        copy.cancel();
                        connection.rollback(savepoint);
                        throw e;
                    }
                }, SqlFailures::refusesContent);
                for (Bisection.Refused<Read> poison : refused) {
                    ConsumerRecord<String, byte[]> record = poison.item().record();
                    refusals.add(new Refusal(Refusal.Kind.REFUSED_BY_STORE, "PostgreSQL " + poison.cause().getSQLState()
                            + ": " + poison.cause().getMessage(), record.partition(), record.offset(), record.value(),
                            poison.item().entry()));
                }
                Quarantine.store(connection, context.topic(), refusals, context.settings().source(), now,
                        context.settings().limits(), months);
                context.offsets().store(connection, screen.next());
                connection.commit();
                context.ledger().committed(months, screen.next(), stored, new BatchLedger.Counts(copied[0], inserted[0],
                        screen.skipped(), refusals), started);
                return Outcome.COMMITTED;
            } catch (SQLException | RuntimeException e) {
                WriterConnections.rollbackQuietly(connection);
                throw e;
            }
        }
    }
}
