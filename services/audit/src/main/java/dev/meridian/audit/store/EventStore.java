package dev.meridian.audit.store;

import dev.meridian.contracts.audit.AuditRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads of {@code audit.events}: search pages, single entries, streamed exports. */
public final class EventStore {

    /** Rows fetched per round trip when streaming: memory stays constant whatever the export's size. */
    static final int FETCH_SIZE = 2000;

    /**
     * Every column as text: after a few executions on one connection the driver prepares the statement on the server
     * and receives bigint and boolean in binary, and the export writer copies the bytes it is given.
     */
    private static final String EXPORT_COLUMNS = "id, kind, region, sequence::text AS sequence_text, time, actor,"
            + " action, resource, source, type, previous_hash, hash, signature, payload::text, payload_sealed, data_key_id";

    private final DataSource dataSource;
    private final DataSource exports;
    private final PayloadVault vault;

    /** Reads and exports on one pool (benchmarks, tests). */
    public EventStore(DataSource dataSource, PayloadVault vault) {
        this(dataSource, dataSource, vault);
    }

    /**
     * @param exports the pool exports stream on: its own, so a long export never takes the connections of searches,
     *                of verification or of the store writer
     * @param vault   opens sealed payloads
     */
    public EventStore(DataSource dataSource, DataSource exports, PayloadVault vault) {
        this.dataSource = dataSource;
        this.exports = exports;
        this.vault = vault;
    }

    /**
     * How many entries match, counting no further than {@code limit + 1}: an export is refused above its row limit
     * before it starts, without counting all of a large store.
     */
    public long count(EventFilter filter, long limit) throws SQLException {
        Query query = where(filter);
        query.params.add(limit + 1);
        try (Connection connection = exports.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM "
                        + AuditSchema.EVENTS + query.sql + " LIMIT ?) matching")) {
            query.bind(select);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The inclusion proof of an entry in its signed digest; empty while no digest with a Merkle root closes it. */
    public Optional<InclusionProof> proof(AuditRecord entry) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return ProofStore.proof(connection, entry);
        }
    }

    /** One page, newest first. */
    public List<AuditRecord> search(EventFilter filter, int limit) throws SQLException {
        Query query = where(filter);
        String sql = "SELECT " + Rows.COLUMNS + " FROM " + AuditSchema.EVENTS + query.sql
                + " ORDER BY time DESC, id DESC LIMIT ?";
        query.params.add(limit);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            query.bind(select);
            List<AuditRecord> page = new ArrayList<>(limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    page.add(Rows.read(rs, vault));
                }
            }
            return page;
        }
    }

    public Optional<AuditRecord> get(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + Rows.COLUMNS + " FROM " + AuditSchema.EVENTS + " WHERE id = ? ORDER BY time LIMIT 1")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(Rows.read(rs, vault)) : Optional.empty();
            }
        }
    }

    /** Export formats. */
    public enum Format {
        CSV("text/csv"), NDJSON("application/x-ndjson");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    static final String CSV_HEADER = "id,kind,region,sequence,time,actor,action,resource,source,type,previous_hash,"
            + "hash,signature,payload\n";

    /**
     * Streams every matching entry ordered by region and sequence — chain order, so an export can be verified as it is
     * read — to {@code out} as it is read (a server-side cursor, {@value #FETCH_SIZE} rows at a time, fetched on a
     * second thread while the previous rows are written; see {@link ExportWriter}), then a trailer: the row count,
     * whether the export is complete, and per region its last entry with the signed digest that covers it and the
     * entry's inclusion proof there ({@link ExportTrailer}). Without the trailer a download was cut.
     *
     * @param maxTime past this the export stops at the next chunk and its trailer says it is incomplete
     * @return the number of entries written
     */
    public long export(EventFilter filter, Format format, OutputStream out, Duration maxTime) throws SQLException,
            IOException {
        long deadline = System.nanoTime() + maxTime.toNanos();
        // Filtered by actor, action, resource or type, the export still holds every entry of its regions and times:
        // those that do not match as links (place and hashes only), so the chain stays contiguous and each matching
        // entry is tied to a signed digest offline. A filter that dropped them would leave gaps nothing proves.
        Query attributes = attributes(filter);
        Query query = new Query();
        String matched = "";
        if (!attributes.params.isEmpty()) {
            matched = ", (" + attributes.sql + ")::text AS matched";
            query.params.addAll(attributes.params);
        }
        Query scope = scope(filter);
        query.params.addAll(scope.params);
        // The order is the key's, (region, sequence, time): PostgreSQL walks each month's key index and merges the
        // months, without sorting (services/audit/README.md, Measured).
        String sql = "SELECT " + EXPORT_COLUMNS + matched + " FROM " + AuditSchema.EVENTS + scope.sql
                + " ORDER BY region, sequence";
        long rows = 0;
        try (Connection connection = exports.getConnection()) {
            // The PostgreSQL driver streams with a cursor only inside a transaction.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement zone = connection.createStatement()) {
                // Times arrive as 2026-11-27 10:00:00+00, which ExportWriter turns into ISO-8601 without parsing.
                zone.execute("SET LOCAL TimeZone = 'UTC'");
                // A client that stops reading blocks the writes and leaves this transaction idle: PostgreSQL ends it
                // a minute past the time limit instead of holding the cursor and the connection until the HTTP
                // timeout. (Between two fetches it is idle too; a minute is far more than one chunk takes.)
                zone.execute("SET LOCAL idle_in_transaction_session_timeout = "
                        + maxTime.plusMinutes(1).toMillis());
            }
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setFetchSize(FETCH_SIZE);
                query.bind(select);
                ExportWriter writer = new ExportWriter(out, deadline, vault);
                try (ResultSet rs = select.executeQuery()) {
                    rows = format == Format.CSV ? writer.csv(rs) : writer.ndjson(rs);
                }
                byte[] trailer = ExportTrailer.json(connection, vault, rows, writer.complete(), writer.regions());
                if (format == Format.CSV) {
                    writer.csvTrailer(trailer);
                } else {
                    writer.ndjsonTrailer(trailer);
                }
            } finally {
                connection.rollback();
            }
        }
        return rows;
    }

    /** The export's scope: time and regions. */
    private static Query scope(EventFilter filter) {
        return where(new EventFilter(filter.from(), filter.to(), filter.regions(), null, null, null, null, null));
    }

    /** The attribute filters as one boolean expression (no WHERE); no params when there are none. */
    private static Query attributes(EventFilter filter) {
        Query query = new Query();
        List<String> clauses = new ArrayList<>();
        equal(clauses, query, "actor", filter.actor());
        equal(clauses, query, "action", filter.action());
        equal(clauses, query, "resource", filter.resource());
        equal(clauses, query, "type", filter.type());
        query.sql = String.join(" AND ", clauses);
        return query;
    }

    private static Query where(EventFilter filter) {
        Query query = new Query();
        List<String> clauses = new ArrayList<>();
        if (filter.from() != null) {
            clauses.add("time >= ?");
            query.params.add(filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            clauses.add("time < ?");
            query.params.add(filter.to().atOffset(ZoneOffset.UTC));
        }
        if (filter.regions().size() == 1) {
            clauses.add("region = ?");
            query.params.add(filter.regions().get(0));
        } else if (!filter.regions().isEmpty()) {
            clauses.add("region = ANY (?)");
            query.params.add(filter.regions());
        }
        equal(clauses, query, "actor", filter.actor());
        equal(clauses, query, "action", filter.action());
        equal(clauses, query, "resource", filter.resource());
        equal(clauses, query, "type", filter.type());
        if (filter.after() != null) {
            clauses.add("(time, id) < (?, ?)");
            query.params.add(filter.after().time().atOffset(ZoneOffset.UTC));
            query.params.add(filter.after().id());
        }
        query.sql = clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
        return query;
    }

    private static void equal(List<String> clauses, Query query, String column, String value) {
        if (value != null) {
            clauses.add(column + " = ?");
            query.params.add(value);
        }
    }

    private static final class Query {
        String sql;
        final List<Object> params = new ArrayList<>();

        void bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                Object param = params.get(i);
                if (param instanceof List<?> list) {
                    statement.setArray(i + 1, statement.getConnection().createArrayOf("text", list.toArray()));
                } else {
                    statement.setObject(i + 1, param);
                }
            }
        }
    }

}
