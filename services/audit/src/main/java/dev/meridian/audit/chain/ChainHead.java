package dev.meridian.audit.chain;

import java.time.Instant;
import java.util.List;

/**
 * The head of one region's chain, as the chainer keeps it in its state store.
 *
 * @param nextSequence       sequence of the next entry
 * @param lastHash           hash of the last entry ({@code GENESIS_HASH} before the first)
 * @param sinceDigest        records appended since the last digest
 * @param firstSinceDigest   sequence of the first of them
 * @param lastTime           time of the last entry; null before the first (and in heads stored before it was kept)
 * @param merkleFrontier     the Merkle tree over those records' hashes as the roots of its perfect subtrees, largest
 *                           first, hex ({@link dev.meridian.auditproof.Merkle}): O(log n) however long the interval
 */
public record ChainHead(long nextSequence, String lastHash, long sinceDigest, long firstSinceDigest,
        Instant lastTime, List<String> merkleFrontier) {

    public ChainHead {
        // Heads stored before the tree was kept have none: their next digest carries no Merkle root.
        merkleFrontier = merkleFrontier == null ? null : List.copyOf(merkleFrontier);
    }
}
