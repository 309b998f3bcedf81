package dev.meridian.audit.retention;

import dev.meridian.audit.store.AuditSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Drops monthly partitions whose every entry is older than the retention period, keeping per region the partition's
 * last digest and the entries after it in {@code audit.anchors}, in the same transaction as the drop.
 */
public final class Retention {

    private static final System.Logger LOG = System.getLogger(Retention.class.getName());

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration period;

    public Retention(DataSource dataSource, Clock clock, Duration period) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.period = Objects.requireNonNull(period, "period");
    }

    /**
     * @param cutoff   entries before it were due
     * @param dropped  partitions dropped, oldest first
     * @param anchored entries kept in {@code audit.anchors}
     */
    public record Run(Instant cutoff, List<String> dropped, int anchored) {
    }

    public Run run() throws SQLException {
        Instant cutoff = clock.instant().minus(period);
        List<String> dropped = new ArrayList<>();
        int anchored = 0;
        for (YearMonth month : partitions()) {
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            if (end.isAfter(cutoff)) {
                continue;
            }
            anchored += drop(month);
            dropped.add(AuditSchema.partitionName(month));
        }
        if (!dropped.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> "retention dropped " + dropped + " (cutoff " + cutoff + ")");
        }
        return new Run(cutoff, List.copyOf(dropped), anchored);
    }

    /** Our partitions of audit.events, oldest first. */
    public List<YearMonth> partitions() throws SQLException {
        List<YearMonth> months = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace"
                        + " WHERE n.nspname = ? AND p.relname = 'events'")) {
            select.setString(1, AuditSchema.SCHEMA);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    YearMonth month = AuditSchema.monthOf(rs.getString(1));
                    if (month != null) {
                        months.add(month);
                    }
                }
            }
        }
        months.sort(null);
        return months;
    }

    private int drop(YearMonth month) throws SQLException {
        String partition = AuditSchema.SCHEMA + "." + AuditSchema.partitionName(month);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement keep = connection.prepareStatement("INSERT INTO " + AuditSchema.ANCHORS
                    + " (id, kind, region, sequence, time, actor, action, resource, source, type, payload, previous_hash,"
                    + " hash, signature, payload_sealed, data_key_id, from_partition)"
                    + " SELECT e.id, e.kind, e.region, e.sequence, e.time, e.actor, e.action, e.resource, e.source, e.type,"
                    + " e.payload, e.previous_hash, e.hash, e.signature, e.payload_sealed, e.data_key_id, ? FROM "
                    + partition + " e"
                    + " JOIN (SELECT region, max(sequence) AS last_digest FROM " + partition + " WHERE kind = 'DIGEST'"
                    + " GROUP BY region) d ON d.region = e.region AND e.sequence >= d.last_digest"
                    + " ON CONFLICT (region, sequence) DO NOTHING");
                    Statement drop = connection.createStatement()) {
                keep.setString(1, AuditSchema.partitionName(month));
                int kept = keep.executeUpdate();
                drop.execute("DROP TABLE " + partition);
                connection.commit();
                return kept;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
