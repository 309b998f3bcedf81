package dev.meridian.audit.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** Row ↔ record mapping shared by the writer, the queries and the verifier. */
final class Rows {

    /** The columns of an entry, in the order {@link #read} expects. */
    static final String COLUMNS = "id, kind, region, sequence, time, actor, action, resource, source, type, payload::text,"
            + " previous_hash, hash, signature";

    private Rows() {
    }

    static AuditRecord read(ResultSet rs) throws SQLException {
        try {
            return new AuditRecord(rs.getString(1), AuditEntryKind.valueOf(rs.getString(2)), rs.getString(3),
                    rs.getLong(4), rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7),
                    rs.getString(8), rs.getString(9), rs.getString(10), ContractJson.mapper().readTree(rs.getString(11)),
                    rs.getString(12), rs.getString(13), rs.getString(14));
        } catch (JsonProcessingException e) {
            throw new SQLException("payload of " + rs.getString(1) + " is not JSON", e);
        }
    }
}
