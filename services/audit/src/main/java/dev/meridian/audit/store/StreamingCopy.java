package dev.meridian.audit.store;

import dev.meridian.audit.store.BatchCopier.Outcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * One batch, one transaction, one connection: rows are streamed by COPY straight into {@code audit.events} while the
 * rest of the batch is still being screened. If one of them is there already the transaction is rolled back and the
 * caller repeats the batch {@code viaStaging}: COPY into the {@link StagingTable}, then one
 * {@code INSERT … SELECT … ON CONFLICT DO NOTHING}. Staging every batch would cost each row a second write, for a
 * case that needs a replay to happen.
 */
final class StreamingCopy {

    private final BatchContext context;

    StreamingCopy(BatchContext context) {
        this.context = context;
    }

    Outcome write(ConsumerRecords<String, byte[]> records, boolean viaStaging) throws SQLException {
        long started = System.nanoTime();
        Set<YearMonth> created = new HashSet<>();
        try (Connection connection = context.connections().open()) {
            CopyStream copy = null;
            try {
                Map<Integer, Long> stored = context.offsets().openBatch(connection);
                if (stored == null) {
                    return Outcome.TAIL_LOST;
                }
                if (viaStaging) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(StagingTable.CREATE);
                    }
                }
                String target = viaStaging ? StagingTable.NAME : AuditSchema.EVENTS;
                Instant now = context.settings().clock().instant();
                RecordScreen screen = new RecordScreen(stored, context.settings().limits(), now);
                long copied = 0;
                for (ConsumerRecord<String, byte[]> record : records) {
                    LogEntry entry = screen.admit(record);
                    if (entry == null) {
                        continue;
                    }
                    YearMonth month = YearMonth.from(entry.time().atOffset(ZoneOffset.UTC));
                    if (!context.ledger().knows(month) && created.add(month)) {
                        // No other statement can run inside a COPY: end it, create the month, go on in a new one.
                        if (copy != null) {
                            copied += copy.end();
                            copy = null;
                        }
                        AuditSchema.ensurePartition(connection, month);
                    }
                    if (copy == null) {
                        copy = CopyStream.open(connection, target, context.vault());
                    }
                    copy.row(entry);
                }
                if (copy != null) {
                    copied += copy.end();
                    copy = null;
                }
                long inserted = copied;
                if (viaStaging && copied > 0) {
                    try (Statement statement = connection.createStatement()) {
                        inserted = statement.executeUpdate(StagingTable.INSERT_INTO_EVENTS);
                    }
                }
                Set<YearMonth> ready = new HashSet<>(context.ledger().known());
                ready.addAll(created);
                Quarantine.store(connection, context.topic(), screen.refusals(), context.settings().source(), now,
                        context.settings().limits(), ready);
                ready.removeAll(context.ledger().known());
                created.addAll(ready);
                context.offsets().store(connection, screen.next());
                connection.commit();
                context.ledger().committed(created, screen.next(), stored,
                        new BatchLedger.Counts(copied, inserted, screen.skipped(), screen.refusals()), started);
                return Outcome.COMMITTED;
            } catch (SQLException e) {
                if (copy != null) {
                    copy.cancel();
                }
                WriterConnections.rollbackQuietly(connection);
                if (!viaStaging && SqlFailures.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return Outcome.DUPLICATE;
                }
                throw e;
            } catch (RuntimeException e) {
                if (copy != null) {
                    copy.cancel();
                }
                WriterConnections.rollbackQuietly(connection);
                throw e;
            }
        }
    }
}
