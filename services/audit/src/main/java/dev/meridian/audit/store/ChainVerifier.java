package dev.meridian.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.auditproof.Canonical;
import dev.meridian.auditproof.Merkle;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Re-walks a region's chain from the nearest trusted anchor and names the first entry that breaks it.
 *
 * <p>The anchor is the newest signed digest at or before {@code from}; without {@code from}, the digest kept by the
 * last retention run (see {@code anchors}), else the chain's genesis. From there every entry up to the last one at or
 * before {@code to} must have the next sequence, the previous entry's hash as {@code previousHash}, a hash equal to
 * SHA-256(previousHash ‖ canonical content), and (digests) a valid signature. Entries kept in {@code anchors} by
 * retention are walked together with the table's, so a dropped month does not break what follows it.
 */
public final class ChainVerifier {

    private final DataSource dataSource;
    private final DigestSigner signer;
    private final PayloadVault vault;

    /** @param vault opens sealed payloads; one that does not authenticate breaks the chain at its entry */
    public ChainVerifier(DataSource dataSource, DigestSigner signer, PayloadVault vault) {
        this.dataSource = dataSource;
        this.signer = signer;
        this.vault = vault;
    }

    /**
     * @param region   the chain
     * @param anchor   where the walk started: {@code genesis}, or the id and sequence of the digest
     * @param checked  entries checked after the anchor
     * @param broken   the first entry that breaks the chain; empty when it is intact
     */
    public record Result(String region, String anchor, long anchorSequence, long checked, Optional<Broken> broken) {
        public boolean ok() {
            return broken.isEmpty();
        }
    }

    /** The first broken entry: its id (or the missing sequence's successor) and what is wrong. */
    public record Broken(String id, long sequence, String reason) {
    }

    public Result verify(String region, Instant from, Instant to) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                return walk(connection, region, from, to);
            } finally {
                connection.rollback();
            }
        }
    }

    private Result walk(Connection connection, String region, Instant from, Instant to) throws SQLException {
        Optional<AuditRecord> anchor = anchor(connection, region, from);
        String anchorName = anchor.map(AuditRecord::id).orElse("genesis");
        long anchorSequence = anchor.map(AuditRecord::sequence).orElse(-1L);
        if (anchor.isPresent()) {
            AuditRecord digest = anchor.get();
            Optional<String> unsigned = signer.problem(digest);
            if (unsigned.isPresent()) {
                return new Result(region, anchorName, anchorSequence, 0,
                        Optional.of(new Broken(digest.id(), digest.sequence(), unsigned.get())));
            }
        }
        long last = lastSequence(connection, region, to);
        String previousHash = anchor.map(AuditRecord::hash).orElse(AuditRecord.GENESIS_HASH);
        long expected = anchorSequence + 1;
        long checked = 0;
        // The records after the anchor (a digest) or genesis form the next digest's tree from its first leaf on.
        DigestTree tree = new DigestTree();
        String sql = "(SELECT " + Rows.COLUMNS + " FROM " + AuditSchema.EVENTS
                + " WHERE region = ? AND sequence > ? AND sequence <= ?) UNION ALL (SELECT " + Rows.COLUMNS + " FROM "
                + AuditSchema.ANCHORS + " WHERE region = ? AND sequence > ? AND sequence <= ?) ORDER BY 4";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(EventStore.FETCH_SIZE);
            select.setString(1, region);
            select.setLong(2, anchorSequence);
            select.setLong(3, last);
            select.setString(4, region);
            select.setLong(5, anchorSequence);
            select.setLong(6, last);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    AuditRecord entry;
                    try {
                        entry = Rows.read(rs, vault);
                    } catch (BrokenSeal broken) {
                        return new Result(region, anchorName, anchorSequence, checked,
                                Optional.of(new Broken(broken.entryId(), broken.sequence(), broken.reason())));
                    }
                    if (entry.sequence() < expected) {
                        if (entry.sequence() == expected - 1 && entry.hash().equals(previousHash)) {
                            continue; // the same entry both kept as an anchor and still in its partition
                        }
                        return new Result(region, anchorName, anchorSequence, checked, Optional.of(new Broken(
                                entry.id(), entry.sequence(), "a second entry at sequence " + entry.sequence())));
                    }
                    Optional<String> problem = Quarantine.placeholderFor(entry).isPresent()
                            ? checkPlaceholder(connection, entry, expected, previousHash)
                            : check(entry, expected, previousHash);
                    if (problem.isEmpty()) {
                        problem = tree.add(entry);
                    }
                    if (problem.isPresent()) {
                        return new Result(region, anchorName, anchorSequence, checked,
                                Optional.of(new Broken(entry.id(), entry.sequence(), problem.get())));
                    }
                    previousHash = entry.hash();
                    expected = entry.sequence() + 1;
                    checked++;
                }
            }
        }
        if (expected <= last) {
            return new Result(region, anchorName, anchorSequence, checked, Optional.of(new Broken(null, expected,
                    "entries " + expected + ".." + last + " are missing")));
        }
        return new Result(region, anchorName, anchorSequence, checked, Optional.empty());
    }

    private Optional<String> check(AuditRecord entry, long expected, String previousHash) {
        if (entry.sequence() != expected) {
            return Optional.of("sequence " + expected + (entry.sequence() - 1 > expected ? ".." + (entry.sequence() - 1)
                    : "") + " missing before this entry");
        }
        if (!entry.previousHash().equals(previousHash)) {
            return Optional.of("previousHash does not match the hash of entry " + (expected - 1));
        }
        if (!Canonical.expectedHash(entry).equals(entry.hash())) {
            return Optional.of("content does not match its hash");
        }
        if (entry.kind() == AuditEntryKind.DIGEST) {
            return signer.problem(entry);
        }
        return Optional.empty();
    }

    /** The Merkle tree of the records since the last digest, checked against each digest's root. */
    private static final class DigestTree {
        private List<byte[]> frontier = new ArrayList<>();
        private long size;

        /** Adds a record; for a digest, compares its root and starts the next tree. */
        Optional<String> add(AuditRecord entry) {
            if (entry.kind() != AuditEntryKind.DIGEST) {
                frontier = Merkle.append(frontier, size++, Merkle.entryLeaf(entry.hash()));
                return Optional.empty();
            }
            JsonNode root = entry.payload().get("merkleRoot");
            boolean closesThese = entry.payload().path("records").asLong(-1) == size;
            Optional<String> problem = root != null && closesThese
                    && !root.asText().equals(Merkle.hex(Merkle.rootOf(frontier)))
                    ? Optional.of("Merkle root does not match the records it closes") : Optional.empty();
            frontier = new ArrayList<>();
            size = 0;
            return problem;
        }
    }

    /**
     * A placeholder stands for a quarantined entry: the original, read back from the quarantine, must have exactly the
     * placeholder's place and hashes, and must itself pass {@link #check} there.
     */
    private Optional<String> checkPlaceholder(Connection connection, AuditRecord placeholder, long expected,
            String previousHash) throws SQLException {
        long quarantineId = Quarantine.placeholderFor(placeholder).orElseThrow();
        Optional<byte[]> raw = Quarantine.raw(connection, quarantineId);
        if (raw.isEmpty()) {
            return Optional.of("placeholder names quarantined record " + quarantineId + ", which is missing");
        }
        AuditRecord original;
        try {
            original = ContractJson.mapper().readValue(raw.get(), AuditRecord.class);
        } catch (IOException | RuntimeException e) {
            return Optional.of("quarantined record " + quarantineId + " is not an audit entry");
        }
        if (!placeholder.region().equals(original.region()) || placeholder.sequence() != original.sequence()
                || !placeholder.previousHash().equals(original.previousHash())
                || !placeholder.hash().equals(original.hash())) {
            return Optional.of("placeholder does not hold the place of quarantined record " + quarantineId);
        }
        return check(original, expected, previousHash)
                .map(problem -> "quarantined record " + quarantineId + ": " + problem);
    }

    private Optional<AuditRecord> anchor(Connection connection, String region, Instant from) throws SQLException {
        Optional<AuditRecord> kept = digest(connection, "SELECT " + Rows.COLUMNS + " FROM " + AuditSchema.ANCHORS
                + " WHERE region = ? AND kind = 'DIGEST'" + (from == null ? "" : " AND time <= ?")
                + " ORDER BY sequence DESC LIMIT 1", region, from);
        if (from == null) {
            return kept;
        }
        Optional<AuditRecord> stored = digest(connection, "SELECT " + Rows.COLUMNS + " FROM " + AuditSchema.EVENTS
                + " WHERE region = ? AND kind = 'DIGEST' AND time <= ? ORDER BY sequence DESC LIMIT 1", region, from);
        if (stored.isPresent() && (kept.isEmpty() || stored.get().sequence() > kept.get().sequence())) {
            return stored;
        }
        return kept;
    }

    private static Optional<AuditRecord> digest(Connection connection, String sql, String region, Instant from)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, region);
            if (from != null) {
                select.setObject(2, from.atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(Rows.read(rs, PayloadVault.NO_KEYS)) : Optional.empty();
            }
        }
    }

    private static long lastSequence(Connection connection, String region, Instant to) throws SQLException {
        String sql = "SELECT max(sequence) FROM " + AuditSchema.EVENTS + " WHERE region = ?"
                + (to == null ? "" : " AND time <= ?");
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, region);
            if (to != null) {
                select.setObject(2, to.atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long max = rs.getLong(1);
                return rs.wasNull() ? -1 : max;
            }
        }
    }
}
