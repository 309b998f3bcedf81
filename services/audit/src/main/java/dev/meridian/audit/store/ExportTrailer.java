package dev.meridian.audit.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The last line of an export: {@code rows} and {@code complete} (false when the time limit stopped it) so a cut
 * download is told from a whole one, and per region its last entry, the signed digest that covers it and the entry's
 * inclusion proof in that digest's Merkle tree — what the offline verifier needs to tie the export's end to a signed
 * head. A region whose last entry no digest closes yet has none ({@code digest} null).
 */
final class ExportTrailer {

    private static final String ENTRY = "SELECT " + Rows.COLUMNS + " FROM " + AuditSchema.EVENTS
            + " WHERE region = ? AND sequence = ? LIMIT 1";

    private ExportTrailer() {
    }

    static byte[] json(Connection connection, PayloadVault vault, long rows, boolean complete,
            List<ExportWriter.RegionRun> regions) throws SQLException, IOException {
        ObjectNode trailer = ContractJson.mapper().createObjectNode();
        trailer.put("rows", rows);
        trailer.put("complete", complete);
        if (!complete) {
            trailer.put("reason", "the export reached its time limit; narrow the filters");
        }
        trailer.put("exportedAt", Instant.now().toString());
        ArrayNode summaries = trailer.putArray("regions");
        for (ExportWriter.RegionRun region : regions) {
            ObjectNode summary = summaries.addObject();
            summary.put("region", region.region);
            summary.put("rows", region.rows);
            summary.put("lastSequence", region.lastSequence);
            summary.put("lastHash", region.lastHash);
            Optional<InclusionProof> proof = complete ? proof(connection, vault, region) : Optional.empty();
            if (proof.isEmpty()) {
                summary.putNull("digest");
                continue;
            }
            summary.set("digest", ContractJson.mapper().valueToTree(proof.get().digest()));
            ObjectNode path = summary.putObject("proof");
            path.put("leafIndex", proof.get().leafIndex());
            path.put("treeSize", proof.get().treeSize());
            proof.get().path().forEach(path.putArray("path")::add);
        }
        return ContractJson.mapper().writeValueAsBytes(trailer);
    }

    private static Optional<InclusionProof> proof(Connection connection, PayloadVault vault,
            ExportWriter.RegionRun region) throws SQLException {
        if (!"RECORD".equals(region.lastKind)) {
            return Optional.empty(); // a digest is signed itself
        }
        try (PreparedStatement select = connection.prepareStatement(ENTRY)) {
            select.setString(1, region.region);
            select.setLong(2, region.lastSequence);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                AuditRecord last = Rows.read(rs, vault);
                return ProofStore.proof(connection, last);
            }
        }
    }
}
