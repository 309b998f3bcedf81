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
 * digest's Merkle tree. Checked, stopping at the first bad entry:
 * <ul>
 *   <li>every entry's hash against its content (SHA-256 of the previous hash and the canonical record);</li>
 *   <li>every link between consecutive sequences of a region ({@code previousHash});</li>
 *   <li>every digest: its signature (key valid at the digest's time), and its Merkle root wherever the export holds all
 *       the records it closes;</li>
 *   <li>the trailer: present (else the export was cut), its row count and last entries equal to what was read, each
 *       region's covering digest signed and its proof leading from the last entry to that digest's root.</li>
 * </ul>
 * A filtered export leaves gaps in the sequences; they are counted, not errors. A placeholder of a quarantined
 * record keeps its place and hashes but not the original content, which the export does not carry: counted.
 */
public final class ExportVerifier {

    static final String QUARANTINE_ACTION = "audit.quarantined";

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
     * @param digests      digests whose signature verified
     * @param merkleHeads  digests whose Merkle root was recomputed from the export's records
     * @param gaps         breaks in a region's sequence (a filtered export)
     * @param placeholders quarantined entries whose content the export does not hold
     * @param bad          the first failure; empty when the export verifies
     */
    public record Report(long entries, long digests, long merkleHeads, long gaps, long placeholders,
            Optional<Bad> bad) {
        public boolean ok() {
            return bad.isEmpty();
        }
    }

    private static final class RegionState {
        AuditRecord last;
        long rows;
        /** The hashes of the records since the last digest, while no gap broke them. */
        final List<byte[]> leaves = new ArrayList<>();
        long firstLeafSequence = -1;
        boolean leavesContiguous = true;
    }

    public Report verify(BufferedReader export) throws IOException {
        Map<String, RegionState> regions = new LinkedHashMap<>();
        long entries = 0;
        long digests = 0;
        long merkleHeads = 0;
        long gaps = 0;
        long placeholders = 0;
        JsonNode trailer = null;
        long lineNumber = 0;
        for (String line = export.readLine(); line != null; line = export.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            if (trailer != null) {
                return report(entries, digests, merkleHeads, gaps, placeholders,
                        new Bad(null, -1, null, "line " + lineNumber + " follows the trailer"));
            }
            JsonNode node;
            try {
                node = mapper.readTree(line);
            } catch (IOException e) {
                return report(entries, digests, merkleHeads, gaps, placeholders,
                        new Bad(null, -1, null, "line " + lineNumber + " is not JSON (a cut download?)"));
            }
            if (node.has("trailer")) {
                trailer = node.get("trailer");
                continue;
            }
            AuditRecord entry;
            try {
                entry = mapper.treeToValue(node, AuditRecord.class);
            } catch (IOException | RuntimeException e) {
                return report(entries, digests, merkleHeads, gaps, placeholders,
                        new Bad(null, -1, null, "line " + lineNumber + " is not an audit entry"));
            }
            entries++;
            RegionState state = regions.computeIfAbsent(entry.region(), r -> new RegionState());
            AuditRecord previous = state.last;
            if (previous != null && entry.sequence() <= previous.sequence()) {
                return report(entries, digests, merkleHeads, gaps, placeholders, bad(entry,
                        "out of order: sequence " + entry.sequence() + " after " + previous.sequence()));
            }
            boolean contiguous = previous != null && entry.sequence() == previous.sequence() + 1;
            if (contiguous && !entry.previousHash().equals(previous.hash())) {
                return report(entries, digests, merkleHeads, gaps, placeholders,
                        bad(entry, "previousHash does not match the hash of entry " + previous.sequence()));
            }
            if (previous != null && !contiguous) {
                gaps++;
                state.leavesContiguous = false;
            }
            if (previous == null && entry.sequence() > 0) {
                state.leavesContiguous = false;
            }
            boolean placeholder = QUARANTINE_ACTION.equals(entry.action());
            if (placeholder) {
                placeholders++;
            } else if (!Canonical.expectedHash(entry).equals(entry.hash())) {
                return report(entries, digests, merkleHeads, gaps, placeholders,
                        bad(entry, "content does not match its hash"));
            }
            if (entry.kind() == AuditEntryKind.DIGEST) {
                Optional<String> problem = digestProblem(entry);
                if (problem.isPresent()) {
                    return report(entries, digests, merkleHeads, gaps, placeholders, bad(entry, problem.get()));
                }
                digests++;
                JsonNode payload = entry.payload();
                if (payload.has("merkleRoot") && state.leavesContiguous
                        && state.firstLeafSequence == payload.path("fromSequence").asLong()
                        && state.leaves.size() == payload.path("records").asLong()) {
                    String root = Merkle.hex(Merkle.root(state.leaves));
                    if (!root.equals(payload.path("merkleRoot").asText())) {
                        return report(entries, digests, merkleHeads, gaps, placeholders,
                                bad(entry, "Merkle root does not match the records it closes"));
                    }
                    merkleHeads++;
                }
                state.leaves.clear();
                state.firstLeafSequence = -1;
                state.leavesContiguous = true;
            } else {
                if (state.leaves.isEmpty()) {
                    state.firstLeafSequence = entry.sequence();
                }
                state.leaves.add(Merkle.entryLeaf(entry.hash()));
            }
            state.last = entry;
            state.rows++;
        }
        if (trailer == null) {
            return report(entries, digests, merkleHeads, gaps, placeholders,
                    new Bad(null, -1, null, "incomplete: the export has no trailer (cut after " + entries + " entries)"));
        }
        Optional<Bad> trailerProblem = checkTrailer(trailer, entries, regions);
        return new Report(entries, digests, merkleHeads, gaps, placeholders, trailerProblem);
    }

    private Optional<Bad> checkTrailer(JsonNode trailer, long entries, Map<String, RegionState> regions)
            throws IOException {
        if (!trailer.path("complete").asBoolean(false)) {
            return Optional.of(new Bad(null, -1, null, "incomplete: " + trailer.path("reason").asText("the server"
                    + " stopped the export")));
        }
        if (trailer.path("rows").asLong(-1) != entries) {
            return Optional.of(new Bad(null, -1, null, "incomplete: the trailer counts " + trailer.path("rows").asLong()
                    + " rows, the export holds " + entries));
        }
        Map<String, JsonNode> byRegion = new HashMap<>();
        trailer.path("regions").forEach(region -> byRegion.put(region.path("region").asText(), region));
        if (!byRegion.keySet().equals(regions.keySet())) {
            return Optional.of(new Bad(null, -1, null, "incomplete: the trailer names regions " + byRegion.keySet()
                    + ", the export holds " + regions.keySet()));
        }
        for (Map.Entry<String, RegionState> region : regions.entrySet()) {
            JsonNode summary = byRegion.get(region.getKey());
            AuditRecord last = region.getValue().last;
            if (summary.path("lastSequence").asLong(-1) != last.sequence()
                    || !summary.path("lastHash").asText().equals(last.hash())) {
                return Optional.of(bad(last, "incomplete: the trailer's last entry of " + region.getKey()
                        + " is sequence " + summary.path("lastSequence").asLong()));
            }
            JsonNode digestNode = summary.path("digest");
            if (digestNode.isMissingNode() || digestNode.isNull()) {
                continue; // not yet closed by a signed digest
            }
            AuditRecord digest = mapper.treeToValue(digestNode, AuditRecord.class);
            if (!Canonical.expectedHash(digest).equals(digest.hash())) {
                return Optional.of(bad(digest, "covering digest: content does not match its hash"));
            }
            Optional<String> problem = digestProblem(digest);
            if (problem.isPresent()) {
                return Optional.of(bad(digest, "covering digest: " + problem.get()));
            }
            JsonNode proof = summary.path("proof");
            List<byte[]> path = new ArrayList<>();
            proof.path("path").forEach(hex -> path.add(Merkle.unhex(hex.asText())));
            byte[] root = Merkle.rootFromInclusionPath(Merkle.entryLeaf(last.hash()), proof.path("leafIndex").asLong(),
                    digest.payload().path("records").asLong(), path);
            if (root == null || !Merkle.hex(root).equals(digest.payload().path("merkleRoot").asText())
                    || last.sequence() != digest.payload().path("fromSequence").asLong() + proof.path("leafIndex")
                    .asLong()) {
                return Optional.of(bad(last, "its inclusion proof does not lead to the covering digest's root"));
            }
        }
        return Optional.empty();
    }

    private Optional<String> digestProblem(AuditRecord digest) {
        return keys.problem(digest.hash(), digest.signature(), digest.time());
    }

    private static Bad bad(AuditRecord entry, String reason) {
        return new Bad(entry.region(), entry.sequence(), entry.id(), reason);
    }

    private static Report report(long entries, long digests, long merkleHeads, long gaps, long placeholders, Bad bad) {
        return new Report(entries, digests, merkleHeads, gaps, placeholders, Optional.of(bad));
    }
}
