package dev.meridian.audit.store;

import dev.meridian.contracts.audit.AuditRecord;
import java.util.List;

/**
 * That one entry is in a signed digest's Merkle tree (RFC 9162): the leaf is SHA-256(0x00 ‖ the entry's hash),
 * {@code path} leads from it at {@code leafIndex} of {@code treeSize} leaves to {@code merkleRoot}, which the
 * {@code digest} — an entry of the chain, signed with a published key — carries in its payload.
 */
public record InclusionProof(String region, long sequence, String id, String entryHash, long leafIndex,
        long treeSize, List<String> path, String merkleRoot, AuditRecord digest) {

    public InclusionProof {
        path = List.copyOf(path);
    }
}
