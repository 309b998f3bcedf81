package dev.meridian.audit.store;

import dev.meridian.contracts.audit.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Loads entries into a store without the log and its writer, for tests that need given rows in place. Nothing in the
 * service uses it: it sits in main only because tests of other packages call it through
 * {@link StoreWriter#insertAll}, and belongs with the test sources once they call it here.
 */
public final class BulkInsert {

    private static final String INSERT = "INSERT INTO " + AuditSchema.EVENTS + " (id, kind, region, sequence, time, actor,"
            + " action, resource, source, type, payload, previous_hash, hash, signature)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING";

    private BulkInsert() {
    }

    /**
     * Inserts {@code entries}, creating the partitions they need; entries whose place in their chain is stored already
     * are skipped. The caller owns the transaction.
     *
     * @return rows inserted
     */
    public static int insertAll(Connection connection, Collection<AuditRecord> entries) throws SQLException {
        Set<YearMonth> months = new HashSet<>();
        for (AuditRecord entry : entries) {
            if (months.add(YearMonth.from(entry.time().atOffset(ZoneOffset.UTC)))) {
                AuditSchema.ensurePartition(connection, YearMonth.from(entry.time().atOffset(ZoneOffset.UTC)));
            }
        }
        int inserted = 0;
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (AuditRecord entry : entries) {
                bind(insert, entry);
                insert.addBatch();
            }
            for (int count : insert.executeBatch()) {
                inserted += Math.max(count, 0);
            }
        }
        return inserted;
    }

    private static void bind(PreparedStatement insert, AuditRecord entry) throws SQLException {
        bind(insert, new LogEntry(entry.id(), entry.kind().name(), entry.region(), entry.sequence(), entry.time(),
                entry.actor(), entry.action(), entry.resource(), entry.source(), entry.type(), entry.payload().toString(),
                entry.previousHash(), entry.hash(), entry.signature()));
    }

    private static void bind(PreparedStatement insert, LogEntry entry) throws SQLException {
        insert.setString(1, entry.id());
        insert.setString(2, entry.kind());
        insert.setString(3, entry.region());
        insert.setLong(4, entry.sequence());
        insert.setObject(5, entry.time().atOffset(ZoneOffset.UTC));
        insert.setString(6, entry.actor());
        insert.setString(7, entry.action());
        insert.setString(8, entry.resource());
        insert.setString(9, entry.source());
        insert.setString(10, entry.type());
        insert.setString(11, entry.payloadJson());
        insert.setString(12, entry.previousHash());
        insert.setString(13, entry.hash());
        insert.setString(14, entry.signature());
    }
}
