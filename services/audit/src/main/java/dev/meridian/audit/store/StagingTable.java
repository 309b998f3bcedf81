package dev.meridian.audit.store;

/**
 * A session's temporary table shaped like {@code audit.events} but without its keys. COPY cannot skip a row that is
 * stored already; COPY into this table and then one {@code INSERT … SELECT … ON CONFLICT DO NOTHING} can, for the
 * batches that need it (a replay, an entry the log holds twice, a batch being bisected).
 */
final class StagingTable {

    static final String NAME = "audit_staging";
    static final String CREATE = "CREATE TEMP TABLE IF NOT EXISTS audit_staging (id text, kind text,"
            + " region text, sequence bigint, time timestamptz, actor text, action text, resource text, source text,"
            + " type text, payload jsonb, previous_hash text, hash text, signature text, payload_sealed bytea,"
            + " data_key_id text) ON COMMIT DELETE ROWS";
    static final String INSERT_INTO_EVENTS = "INSERT INTO " + AuditSchema.EVENTS + " (" + CopyStream.COLUMNS
            + ") SELECT " + CopyStream.COLUMNS + " FROM audit_staging ON CONFLICT DO NOTHING";

    private StagingTable() {
    }
}
