package dev.meridian.auditproof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies an NDJSON export of the audit trail without the database: what a regulator or an incident reviewer runs
 * with the export and the published keys.
 *
 * <p>The export is ordered by region and sequence and ends with a trailer line ({@code {"trailer": …}}): the row
 * count, and per region the last entry, the signed digest that covers it and the inclusion proof of that entry in the
 * digest's Merkle tree. A filtered export also holds every entry outside its filters as a link
 * ({@code {"link": {region, sequence, previousHash, hash}}}), so a region's rows are contiguous. Checked, stopping at
 * the first bad row:
 * <ul>
 *   <li>every entry's hash against its content (SHA-256 of the previous hash and the canonical record);</li>
 *   <li>every link between consecutive sequences of a region ({@code previousHash});</li>
 *   <li>every digest: its signature (key valid at the digest's time), and its Merkle root wherever the export holds all
 *       the records it closes;</li>
 *   <li>every entry anchored: a signed digest later in the export chains back to it without a break, or, at a
 *       region's end, the trailer's inclusion proof ties the last entry to a signed digest's root. An entry before a
 *       break in the sequence, or at the end with no digest yet, is not proven, and the export does not verify;</li>
 *   <li>the trailer: present (else the export was cut), complete, its row count and last entries equal to what was
 *       read.</li>
 * </ul>
 * A placeholder of a quarantined record keeps its place and hashes but not the original content, which the export
 * does not carry (the service's own verify re-hashes it): counted, its hashes chained and anchored like any row.
 */
public final class ExportVerifier {

    static final String QUARANTINE_ACTION = "audit.quarantined";
    static final String QUARANTINE_TYPE = "dev.meridian.audit.quarantined.v1";

    private final DigestKeys keys;
    private final ObjectMapper mapper = ContractJson.mapper();

    public ExportVerifier(DigestKeys keys) {
        this.keys = keys;
    }

    /** The first entry that fails, where and why. */
    public record Bad(String region, long sequence, String id, String reason) {
    }

    /**
     * @param entries      entries read
     * @param links        links read (entries outside a filtered export's filters: place and hashes only)
     * @param digests      digests whose signature verified
     * @param merkleHeads  digests whose Merkle root was recomputed from the export's records
     * @param placeholders quarantined entries whose content the export does not hold
     * @param bad          the first failure; empty when the export verifies
     */
    public record Report(long entries, long links, long digests, long merkleHeads, long placeholders,
            Optional<Bad> bad) {
        public boolean ok() {
            return bad.isEmpty();
        }
    }

    private static final class RegionState {
        Node last;
        /** Rows since the last signed digest, not yet anchored. */
        final List<Node> pending = new ArrayList<>();
        /** The hashes of the records since the last digest, while no gap broke them. */
        final List<byte[]> leaves = new ArrayList<>();
        long firstLeafSequence = -1;
        boolean leavesContiguous = true;
    }

    public Report verify(BufferedReader export) throws IOException {
        Map<String, RegionState> regions = new LinkedHashMap<>();
        Counts counts = new Counts();
        JsonNode trailer = null;
        long lineNumber = 0;
        for (String line = export.readLine(); line != null; line = export.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            if (trailer != null) {
                return counts.failed(new Bad(null, -1, null, "line " + lineNumber + " follows the trailer"));
            }
            JsonNode node;
            try {
                node = mapper.readTree(line);
            } catch (IOException e) {
                return counts.failed(new Bad(null, -1, null, "line " + lineNumber + " is not JSON (a cut download?)"));
            }
            if (node.has("trailer")) {
                trailer = node.get("trailer");
                continue;
            }
            Node entry;
            try {
                entry = node.has("link") ? Node.link(node.get("link")) : Node.entry(mapper.treeToValue(node,
                        AuditRecord.class));
            } catch (IOException | RuntimeException e) {
                return counts.failed(new Bad(null, -1, null, "line " + lineNumber + " is not an audit entry"));
            }
            Optional<Bad> problem = add(regions.computeIfAbsent(entry.region, r -> new RegionState()), entry, counts);
            if (problem.isPresent()) {
                return counts.failed(problem.get());
            }
        }
        if (trailer == null) {
            return counts.failed(new Bad(null, -1, null, "incomplete: the export has no trailer (cut after "
                    + counts.rows + " rows)"));
        }
        Optional<Bad> trailerProblem = checkTrailer(trailer, counts.rows, regions);
        if (trailerProblem.isPresent()) {
            return counts.failed(trailerProblem.get());
        }
        for (RegionState state : regions.values()) {
            if (!state.pending.isEmpty()) {
                Node first = state.pending.get(0);
                return counts.failed(new Bad(first.region, first.sequence, first.id, "not yet closed by a signed"
                        + " digest (" + state.pending.size() + " entries at the end of the region): export again after"
                        + " the next digest"));
            }
        }
        return counts.report(Optional.empty());
    }

    /** An entry or a link of the export: what chaining and anchoring need. */
    private static final class Node {
        String region;
        long sequence;
        String id;
        String previousHash;
        String hash;
        AuditRecord record;

        static Node link(JsonNode link) {
            Node node = new Node();
            node.region = link.path("region").asText(null);
            node.sequence = link.path("sequence").asLong(-1);
            node.previousHash = link.path("previousHash").asText(null);
            node.hash = link.path("hash").asText(null);
            if (node.region == null || node.sequence < 0 || node.previousHash == null || node.hash == null
                    || node.hash.length() != 64) {
                throw new IllegalArgumentException("not a link");
            }
            return node;
        }

        static Node entry(AuditRecord record) {
            Node node = new Node();
            node.region = record.region();
            node.sequence = record.sequence();
            node.id = record.id();
            node.previousHash = record.previousHash();
            node.hash = record.hash();
            node.record = record;
            return node;
        }

        Bad bad(String reason) {
            return new Bad(region, sequence, id, reason);
        }
    }

    private static final class Counts {
        long rows;
        long entries;
        long links;
        long digests;
        long merkleHeads;
        long placeholders;

        Report failed(Bad bad) {
            return report(Optional.of(bad));
        }

        Report report(Optional<Bad> bad) {
            return new Report(entries, links, digests, merkleHeads, placeholders, bad);
        }
    }

    /**
     * Adds one row of a region: checked against its content and its predecessor; held as pending until a signed
     * digest that chains back to it (or, at the end, the trailer's proof) anchors it. A break in the sequence leaves
     * what was pending before it unanchored: nothing signed covers it any more.
     */
    private Optional<Bad> add(RegionState state, Node node, Counts counts) {
        counts.rows++;
        Node previous = state.last;
        if (previous != null && node.sequence <= previous.sequence) {
            return Optional.of(node.bad("out of order: sequence " + node.sequence + " after " + previous.sequence));
        }
        boolean contiguous = previous != null && node.sequence == previous.sequence + 1;
        if (contiguous && !node.previousHash.equals(previous.hash)) {
            return Optional.of(node.bad("previousHash does not match the hash of entry " + previous.sequence));
        }
        if (previous != null && !contiguous) {
            if (!state.pending.isEmpty()) {
                Node first = state.pending.get(0);
                return Optional.of(first.bad("not tied to a signed digest: the export breaks off after sequence "
                        + previous.sequence + " (entries removed, or a filter without links)"));
            }
            state.leaves.clear();
            state.leavesContiguous = false;
        }
        if (previous == null && node.sequence > 0) {
            state.leavesContiguous = false;
        }
        AuditRecord record = node.record;
        if (record == null) {
            counts.links++;
        } else {
            counts.entries++;
            if (isPlaceholder(record)) {
                counts.placeholders++;
            } else if (!Canonical.expectedHash(record).equals(record.hash())) {
                return Optional.of(node.bad("content does not match its hash"));
            }
        }
        state.last = node;
        if (record != null && record.kind() == AuditEntryKind.DIGEST) {
            Optional<String> problem = digestProblem(record);
            if (problem.isPresent()) {
                return Optional.of(node.bad(problem.get()));
            }
            counts.digests++;
            JsonNode payload = record.payload();
            if (payload.has("merkleRoot") && state.leavesContiguous
                    && state.firstLeafSequence == payload.path("fromSequence").asLong()
                    && state.leaves.size() == payload.path("records").asLong()) {
                if (!Merkle.hex(Merkle.root(state.leaves)).equals(payload.path("merkleRoot").asText())) {
                    return Optional.of(node.bad("Merkle root does not match the records it closes"));
                }
                counts.merkleHeads++;
            }
            // Signed, and its hash chains back through every pending entry: all of them are anchored.
            state.pending.clear();
            state.leaves.clear();
            state.firstLeafSequence = -1;
            state.leavesContiguous = true;
            return Optional.empty();
        }
        if (state.leaves.isEmpty()) {
            state.firstLeafSequence = node.sequence;
        }
        state.leaves.add(Merkle.entryLeaf(node.hash));
        state.pending.add(node);
        return Optional.empty();
    }

    /**
     * The exact shape the store gives a placeholder: a RECORD whose id and resource name its quarantine row. Its own
     * content is not what its hash covers, so only its place and hashes are checked; anything else that claims to be
     * one is checked as an ordinary entry.
     */
    static boolean isPlaceholder(AuditRecord record) {
        if (record.kind() != AuditEntryKind.RECORD || !QUARANTINE_ACTION.equals(record.action())
                || !QUARANTINE_TYPE.equals(record.type())) {
            return false;
        }
        long quarantineId = record.payload().path("quarantineId").asLong(-1);
        return quarantineId >= 0 && record.id().equals("quarantine-" + quarantineId)
                && record.resource().equals("audit-quarantine:" + quarantineId);
    }

    /**
     * The trailer must be there, complete and agree with what was read; a region's covering digest, signed, anchors
     * the entries still pending at its end when the last one's inclusion proof leads to that digest's root.
     */
    private Optional<Bad> checkTrailer(JsonNode trailer, long rows, Map<String, RegionState> regions)
            throws IOException {
        if (!trailer.path("complete").asBoolean(false)) {
            return Optional.of(new Bad(null, -1, null, "incomplete: " + trailer.path("reason").asText("the server"
                    + " stopped the export")));
        }
        if (trailer.path("rows").asLong(-1) != rows) {
            return Optional.of(new Bad(null, -1, null, "incomplete: the trailer counts " + trailer.path("rows").asLong()
                    + " rows, the export holds " + rows));
        }
        Map<String, JsonNode> byRegion = new HashMap<>();
        trailer.path("regions").forEach(region -> byRegion.put(region.path("region").asText(), region));
        if (!byRegion.keySet().equals(regions.keySet())) {
            return Optional.of(new Bad(null, -1, null, "incomplete: the trailer names regions " + byRegion.keySet()
                    + ", the export holds " + regions.keySet()));
        }
        for (Map.Entry<String, RegionState> region : regions.entrySet()) {
            JsonNode summary = byRegion.get(region.getKey());
            RegionState state = region.getValue();
            Node last = state.last;
            if (summary.path("lastSequence").asLong(-1) != last.sequence
                    || !summary.path("lastHash").asText().equals(last.hash)) {
                return Optional.of(last.bad("incomplete: the trailer's last entry of " + region.getKey()
                        + " is sequence " + summary.path("lastSequence").asLong()));
            }
            JsonNode digestNode = summary.path("digest");
            if (state.pending.isEmpty() || digestNode.isMissingNode() || digestNode.isNull()) {
                continue; // nothing left to anchor, or nothing signed to anchor it yet (reported as pending)
            }
            AuditRecord digest = mapper.treeToValue(digestNode, AuditRecord.class);
            if (!Canonical.expectedHash(digest).equals(digest.hash())) {
                return Optional.of(new Bad(digest.region(), digest.sequence(), digest.id(),
                        "covering digest: content does not match its hash"));
            }
            Optional<String> problem = digestProblem(digest);
            if (problem.isPresent()) {
                return Optional.of(new Bad(digest.region(), digest.sequence(), digest.id(),
                        "covering digest: " + problem.get()));
            }
            JsonNode proof = summary.path("proof");
            byte[] root;
            try {
                List<byte[]> path = new ArrayList<>();
                proof.path("path").forEach(hex -> path.add(Merkle.unhex(hex.asText())));
                root = Merkle.rootFromInclusionPath(Merkle.entryLeaf(last.hash), proof.path("leafIndex").asLong(),
                        digest.payload().path("records").asLong(), path);
            } catch (IllegalArgumentException e) {
                root = null;
            }
            if (root == null || !Merkle.hex(root).equals(digest.payload().path("merkleRoot").asText())
                    || !digest.region().equals(last.region)
                    || last.sequence != digest.payload().path("fromSequence").asLong() + proof.path("leafIndex")
                    .asLong()) {
                return Optional.of(last.bad("its inclusion proof does not lead to the covering digest's root"));
            }
            // The last entry is in a signed root, and every pending one chains to it.
            state.pending.clear();
        }
        return Optional.empty();
    }

    private Optional<String> digestProblem(AuditRecord digest) {
        return keys.problem(digest.hash(), digest.signature(), digest.time());
    }
}
