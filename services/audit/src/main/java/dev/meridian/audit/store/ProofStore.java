package dev.meridian.audit.store;

import dev.meridian.auditproof.Merkle;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inclusion proofs of stored records in their digests' Merkle trees: the covering digest is the first one after the
 * record in its chain; its leaves are the hashes of the records it closes, read by the key (region, sequence).
 */
final class ProofStore {

    private static final String COVERING_DIGEST = "SELECT " + Rows.COLUMNS + " FROM " + AuditSchema.EVENTS
            + " WHERE region = ? AND sequence > ? AND kind = 'DIGEST' ORDER BY sequence LIMIT 1";
    private static final String LEAVES = "SELECT sequence, hash FROM " + AuditSchema.EVENTS
            + " WHERE region = ? AND sequence BETWEEN ? AND ? ORDER BY sequence";

    private ProofStore() {
    }

    /** The proof of the record at {@code sequence}; empty while no signed digest with a Merkle root closes it. */
    static Optional<InclusionProof> proof(Connection connection, AuditRecord record) throws SQLException {
        if (record.kind() != AuditEntryKind.RECORD) {
            return Optional.empty();
        }
        AuditRecord digest;
        try (PreparedStatement select = connection.prepareStatement(COVERING_DIGEST)) {
            select.setString(1, record.region());
            select.setLong(2, record.sequence());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                digest = Rows.read(rs, PayloadVault.NO_KEYS);
            }
        }
        long from = digest.payload().path("fromSequence").asLong(-1);
        long to = digest.payload().path("toSequence").asLong(-1);
        String root = digest.payload().path("merkleRoot").asText(null);
        if (root == null || record.sequence() < from || record.sequence() > to) {
            return Optional.empty(); // a digest of before the Merkle trees, or a gap the chain should not have
        }
        List<byte[]> leaves = new ArrayList<>((int) (to - from + 1));
        try (PreparedStatement select = connection.prepareStatement(LEAVES)) {
            select.setString(1, record.region());
            select.setLong(2, from);
            select.setLong(3, to);
            select.setFetchSize(EventStore.FETCH_SIZE);
            try (ResultSet rs = select.executeQuery()) {
                long expected = from;
                while (rs.next()) {
                    if (rs.getLong(1) != expected++) {
                        return Optional.empty(); // a record the digest closes is missing here: verify names it
                    }
                    leaves.add(Merkle.entryLeaf(rs.getString(2)));
                }
            }
        }
        int index = (int) (record.sequence() - from);
        if (leaves.size() != to - from + 1) {
            return Optional.empty();
        }
        List<String> path = new ArrayList<>();
        Merkle.inclusionPath(leaves, index).forEach(node -> path.add(Merkle.hex(node)));
        return Optional.of(new InclusionProof(record.region(), record.sequence(), record.id(), record.hash(), index,
                leaves.size(), path, root, digest));
    }
}
