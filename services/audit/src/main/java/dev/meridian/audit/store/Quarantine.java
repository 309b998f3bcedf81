package dev.meridian.audit.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.auditproof.Canonical;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.validation.Checks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Where refused records go ({@code audit.quarantine}), and the placeholders that keep their places in the chains.
 *
 * <p>A placeholder is an ordinary RECORD row at the refused entry's place — same region, sequence, previous hash and
 * hash — whose action is {@value #ACTION} and whose payload names the quarantine row. Its own content is not what
 * the hash covers: {@link ChainVerifier} checks the original, read back from {@code raw}, in its place. So the chain
 * reads on without a gap, and a placeholder cannot stand in for an entry whose original it does not point to.
 */
final class Quarantine {

    static final String ACTION = "audit.quarantined";
    static final String TYPE = "dev.meridian.audit.quarantined.v1";
    static final String ACTOR = "system";
    static final String TABLE = AuditSchema.SCHEMA + ".quarantine";

    private static final String INSERT = "INSERT INTO " + TABLE + " (log_topic, log_partition, log_offset, raw, kind,"
            + " reason, region, sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (log_topic, log_partition,"
            + " log_offset) DO UPDATE SET kind = " + TABLE + ".kind RETURNING id, quarantined_at";
    private static final String PREFIX = "quarantine-";
    private static final String PLACEHOLDER = "INSERT INTO " + AuditSchema.EVENTS + " (" + CopyStream.COLUMNS
            + ") VALUES (?, 'RECORD', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, NULL, NULL, NULL) ON CONFLICT DO NOTHING";
    private static final String RAW = "SELECT raw FROM " + TABLE + " WHERE id = ?";

    private Quarantine() {
    }

    /**
     * Stores {@code refusals} and a placeholder for each that has a place, creating the months those need unless in
     * {@code ready} (which it then adds them to). The caller owns the transaction.
     *
     * @return placeholders inserted
     */
    static int store(Connection connection, String topic, Collection<Refusal> refusals, String source, Instant now,
            StoreWriter.Limits limits, Set<YearMonth> ready) throws SQLException {
        int placed = 0;
        try (PreparedStatement insert = connection.prepareStatement(INSERT);
                PreparedStatement placeholder = connection.prepareStatement(PLACEHOLDER)) {
            for (Refusal refusal : refusals) {
                insert.setString(1, topic);
                insert.setInt(2, refusal.partition());
                insert.setLong(3, refusal.offset());
                insert.setBytes(4, refusal.raw());
                insert.setString(5, refusal.kind().tag());
                insert.setString(6, refusal.reason());
                boolean hasPlace = hasPlace(refusal);
                insert.setString(7, hasPlace ? refusal.entry().region() : null);
                if (hasPlace) {
                    insert.setLong(8, refusal.entry().sequence());
                } else {
                    insert.setNull(8, java.sql.Types.BIGINT);
                }
                long id;
                Instant quarantinedAt;
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                    quarantinedAt = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
                }
                if (!hasPlace) {
                    continue;
                }
                LogEntry entry = refusal.entry();
                // A replay finds the quarantine row of the first attempt: the same id and time, so the same placeholder.
                Instant at = placeholderTime(refusal, quarantinedAt, limits);
                YearMonth month = YearMonth.from(at.atOffset(ZoneOffset.UTC));
                if (ready.add(month)) {
                    AuditSchema.ensurePartition(connection, month);
                }
                ObjectNode payload = JsonNodeFactory.instance.objectNode();
                payload.put("quarantineId", id);
                payload.put("kind", refusal.kind().tag());
                payload.put("reason", refusal.reason());
                payload.put("originalId", Checks.printable(entry.id(), Checks.MAX_ID_LENGTH));
                payload.put("logPartition", refusal.partition());
                payload.put("logOffset", refusal.offset());
                placeholder.setString(1, PREFIX + id);
                placeholder.setString(2, entry.region());
                placeholder.setLong(3, entry.sequence());
                placeholder.setObject(4, at.atOffset(ZoneOffset.UTC));
                placeholder.setString(5, ACTOR);
                placeholder.setString(6, ACTION);
                placeholder.setString(7, "audit-quarantine:" + id);
                placeholder.setString(8, source);
                placeholder.setString(9, TYPE);
                placeholder.setString(10, payload.toString());
                placeholder.setString(11, entry.previousHash());
                placeholder.setString(12, entry.hash());
                placed += placeholder.executeUpdate();
            }
        }
        return placed;
    }

    /** Months the placeholders of {@code refusals} will be stored in (to create them ahead, outside a COPY). */
    static void months(Collection<Refusal> refusals, Instant now, StoreWriter.Limits limits, Set<YearMonth> into) {
        for (Refusal refusal : refusals) {
            if (hasPlace(refusal)) {
                into.add(YearMonth.from(placeholderTime(refusal, now, limits).atOffset(ZoneOffset.UTC)));
            }
        }
    }

    /**
     * A placeholder can hold the place only of a parsed entry whose region is a clean identifier (regions are indexed
     * and searched; one with a control character has no chain worth continuing).
     */
    private static boolean hasPlace(Refusal refusal) {
        LogEntry entry = refusal.entry();
        return entry != null && entry.region().length() <= Checks.MAX_ID_LENGTH
                && Checks.firstControl(entry.region()) < 0;
    }

    /** The entry's own time when the store can keep it; else the writer's, so it lands in a month retention keeps. */
    private static Instant placeholderTime(Refusal refusal, Instant now, StoreWriter.Limits limits) {
        Instant time = refusal.entry().time();
        return limits.accepts(time, now) ? time : Canonical.truncate(now);
    }

    /** Whether a stored entry is a placeholder (its id, action and type say so); its quarantine row's id then. */
    static Optional<Long> placeholderFor(AuditRecord entry) {
        if (!ACTION.equals(entry.action()) || !TYPE.equals(entry.type()) || !entry.payload().has("quarantineId")) {
            return Optional.empty();
        }
        long id = entry.payload().path("quarantineId").asLong();
        return entry.id().equals(PREFIX + id) ? Optional.of(id) : Optional.empty();
    }

    /** The refused record as it was on the log; empty when the row is gone. */
    static Optional<byte[]> raw(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(RAW)) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

}
