package dev.meridian.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer's position on the log, kept in {@code audit.writer_offsets} instead of Kafka: every batch stores the next
 * offset of each partition it read in its own transaction, so the offsets are stored with all of the batch's rows or
 * not at all. It also remembers, per partition the writer owns, the offset it last saw committed, because
 * {@code synchronous_commit = off} lets PostgreSQL lose batches it acknowledged (see {@link #openBatch}).
 *
 * <p>Only the writer thread uses an instance.
 */
final class StoredOffsets {

    private static final String SYNCHRONOUS_COMMIT_OFF = "SET LOCAL synchronous_commit = off";
    private static final String SELECT_OFFSETS = "SELECT partition, next_offset FROM " + AuditSchema.OFFSETS
            + " WHERE topic = ?";
    private static final String UPSERT_OFFSET = "INSERT INTO " + AuditSchema.OFFSETS + " (topic, partition, next_offset)"
            + " VALUES (?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE"
            + " SET next_offset = greatest(" + AuditSchema.OFFSETS + ".next_offset, excluded.next_offset), updated_at = now()";
    private static final String TOPIC_LOCK = "SELECT pg_advisory_xact_lock(hashtext(?))";
    private static final String LOCK_OFFSETS = "SELECT partition, next_offset FROM " + AuditSchema.OFFSETS
            + " WHERE topic = ? FOR UPDATE";

    private final String topic;
    /** Per owned partition, the next offset this writer saw committed. */
    private final Map<Integer, Long> committedNext = new HashMap<>();

    StoredOffsets(String topic) {
        this.topic = topic;
    }

    /** The stored offsets, outside any batch (to seek on assignment). */
    Map<Integer, Long> read(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_OFFSETS)) {
            select.setString(1, topic);
            return offsets(select);
        }
    }

    /** The consumer was positioned at {@code next}: from now on PostgreSQL must hold at least that. */
    void expect(int partition, long next) {
        committedNext.put(partition, next);
    }

    /** The partition was revoked, or has nothing stored yet: nothing to expect of it. */
    void forget(int partition) {
        committedNext.remove(partition);
    }

    /**
     * Begins a batch's transaction on the connection that commits the offsets and locks this topic's offset rows (two
     * writers overlapping in a rebalance take turns, and the second skips what the first stored).
     *
     * @return the stored offsets; null, rolled back, when PostgreSQL lost batches it acknowledged (see lostTail())
     */
    Map<Integer, Long> openBatch(Connection connection) throws SQLException {
        beginBatch(connection);
        Map<Integer, Long> stored = lock(connection);
        if (lostTail(stored)) {
            connection.rollback();
            return null;
        }
        return stored;
    }

    /**
     * {@code synchronous_commit = off} is safe because the offsets commit with (or, split, after) the rows: a crash that
     * loses acknowledged transactions loses the offsets too, and lostTail() notices that the stored offsets went back
     * and re-reads from them. Without it every batch waits for its WAL flush, which measured 13-20 % of the writer's
     * time (services/audit/README.md).
     */
    static void beginBatch(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(SYNCHRONOUS_COMMIT_OFF);
        }
    }

    /** Stores the batch's next offsets in its transaction; never moves a partition back. */
    void store(Connection connection, Map<Integer, Long> next) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_OFFSET)) {
            for (Map.Entry<Integer, Long> offset : next.entrySet()) {
                upsert.setString(1, topic);
                upsert.setInt(2, offset.getKey());
                upsert.setLong(3, offset.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** After a batch with these offsets committed over {@code stored}. */
    void committed(Map<Integer, Long> next, Map<Integer, Long> stored) {
        // What PostgreSQL now holds for the batch's partitions: greatest(stored, next), as the upsert did.
        next.forEach((partition, offset) -> committedNext.put(partition,
                Math.max(offset, stored.getOrDefault(partition, offset))));
    }

    /**
     * Whether PostgreSQL holds less than this writer committed for a partition it still owns: acknowledged
     * transactions were lost (a crash with {@code synchronous_commit = off}, or a failover to a replica that had not
     * received them). Rows and offsets went together, so reading again from the stored offsets repairs it; carrying on
     * would store later offsets over the gap and lose those records for good.
     */
    private boolean lostTail(Map<Integer, Long> stored) {
        for (Map.Entry<Integer, Long> committed : committedNext.entrySet()) {
            Long now = stored.get(committed.getKey());
            if (now == null || now < committed.getValue()) {
                return true;
            }
        }
        return false;
    }

    private Map<Integer, Long> lock(Connection connection) throws SQLException {
        // Row locks only hold rows that exist: before a partition's first offset is stored (a new store, or offsets
        // reset by hand) two writers overlapping in a rebalance would both go ahead, and split over two connections
        // each could wait on rows the other's second connection holds, where PostgreSQL sees no deadlock.
        try (PreparedStatement lock = connection.prepareStatement(TOPIC_LOCK)) {
            lock.setString(1, topic);
            lock.execute();
        }
        try (PreparedStatement select = connection.prepareStatement(LOCK_OFFSETS)) {
            select.setString(1, topic);
            return offsets(select);
        }
    }

    private static Map<Integer, Long> offsets(PreparedStatement select) throws SQLException {
        Map<Integer, Long> offsets = new HashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                offsets.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return offsets;
    }
}
