package dev.meridian.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Row ↔ record mapping shared by the writer, the queries and the verifier. */
final class Rows {

    /** The columns of an entry, in the order {@link #read} expects. */
    static final String COLUMNS = "id, kind, region, sequence, time, actor, action, resource, source, type, payload::text,"
            + " previous_hash, hash, signature, payload_sealed, data_key_id";

    private Rows() {
    }

    /**
     * The entry at the cursor, its payload opened with {@code vault} when it is sealed.
     *
     * @throws BrokenSeal when a sealed payload does not authenticate
     */
    static AuditRecord read(ResultSet rs, PayloadVault vault) throws SQLException {
        String id = rs.getString(1);
        String region = rs.getString(3);
        long sequence = rs.getLong(4);
        String clear = rs.getString(11);
        try {
            JsonNode payload = clear != null ? ContractJson.mapper().readTree(clear)
                    : ContractJson.mapper().readTree(vault.open(rs.getStatement().getConnection(), id,
                            region, sequence, rs.getBytes(15), rs.getString(16)));
            return new AuditRecord(id, AuditEntryKind.valueOf(rs.getString(2)), region, sequence,
                    rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7),
                    rs.getString(8), rs.getString(9), rs.getString(10), payload, rs.getString(12), rs.getString(13),
                    rs.getString(14));
        } catch (IOException e) {
            throw new SQLException("payload of " + id + " is not JSON", e);
        }
    }
}
