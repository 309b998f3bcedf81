package dev.meridian.audit.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The audit store's PostgreSQL schema: Flyway migrations in {@code classpath:db/audit} (the service runs them through
 * quarkus-flyway at start; tests and benchmarks through {@link #migrate}), and the monthly partitions of
 * {@code audit.events}, which are data, not schema: the writer creates them ahead of time.
 */
public final class AuditSchema {

    public static final String SCHEMA = "audit";
    public static final String LOCATION = "classpath:db/audit";
    public static final String EVENTS = SCHEMA + ".events";
    public static final String ANCHORS = SCHEMA + ".anchors";
    public static final String OFFSETS = SCHEMA + ".writer_offsets";

    private static final DateTimeFormatter PARTITION_SUFFIX = DateTimeFormatter.ofPattern("yyyyMM");
    private static final Pattern PARTITION_NAME = Pattern.compile("events_p(\\d{4})(\\d{2})");

    private AuditSchema() {
    }

    /** Applies pending migrations; safe on every start. */
    public static int migrate(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .locations(LOCATION)
                .cleanDisabled(true)
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /** {@code events_p202611} for November 2026. */
    public static String partitionName(YearMonth month) {
        return "events_p" + month.format(PARTITION_SUFFIX);
    }

    /** The month a partition holds, or null when {@code table} is not one of ours. */
    public static YearMonth monthOf(String table) {
        Matcher matcher = PARTITION_NAME.matcher(table);
        return matcher.matches() ? YearMonth.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)))
                : null;
    }

    /** Creates the partition of {@code month} unless it exists; its indexes come from the parent table. */
    public static void ensurePartition(Connection connection, YearMonth month) throws SQLException {
        String from = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        String to = month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + "." + partitionName(month) + " PARTITION OF "
                    + EVENTS + " FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
        }
    }

    /** This month's partition and the next {@code ahead} months'. */
    public static void ensureAhead(DataSource dataSource, YearMonth current, int ahead) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (int i = 0; i <= ahead; i++) {
                ensurePartition(connection, current.plusMonths(i));
            }
        }
    }
}
