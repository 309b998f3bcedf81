package dev.meridian.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.auditproof.Canonical;
import dev.meridian.auditproof.Merkle;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Appending to a chain: the arithmetic the chainer runs, usable on its own (benchmarks, tests, tools). */
public final class Chains {

    public static final String DIGEST_ACTION = "audit.digest";
    public static final String DIGEST_TYPE = "dev.meridian.audit.digest.v1";
    /** The furthest a clock may step back and still be smoothed over to keep a chain's times growing. */
    static final Duration MAX_CLOCK_STEP_BACK = Duration.ofMinutes(1);

    private Chains() {
    }

    /** The head of a chain nothing was appended to yet. */
    public static ChainHead genesis() {
        return new ChainHead(0, AuditRecord.GENESIS_HASH, 0, 0, null, List.of());
    }

    /**
     * The entry recording {@code op} after {@code head}, at {@code at}: the chainer's clock, not the time the operation's
     * producer claims (a time inside the event, such as {@code noticeAt}, stays in the payload; the {@code ce_time}
     * header is not kept). A claimed time is whatever a sender wrote — 1970, or next year — and an entry's time decides
     * the month it is stored and dropped in.
     */
    public static AuditRecord record(ChainHead head, Operation op, Instant at) {
        String actor = op.actor() == null ? OperationMapper.UNATTRIBUTED : op.actor();
        return entry(head, op.id(), AuditEntryKind.RECORD, op.region(), at, actor, op.action(), op.resource(),
                op.source(), op.type(), op.payload(), null);
    }

    /** {@link #record(ChainHead, Operation, Instant)} at the operation's own time: for loading stores (tests, tools). */
    public static AuditRecord record(ChainHead head, Operation op) {
        return record(head, op, op.time());
    }

    /** The signed digest closing the records appended since the last digest. */
    public static AuditRecord digest(ChainHead head, String region, Instant at, DigestSigner signer, String source) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("fromSequence", head.firstSinceDigest());
        payload.put("toSequence", head.nextSequence() - 1);
        payload.put("records", head.sinceDigest());
        payload.put("chainHead", head.lastHash());
        if (head.merkleFrontier() != null) {
            // RFC 9162 tree over the closed records' hashes: one record is proven against this signed head in
            // O(log n) (GET /v1/audit/events/{id}/proof) without reading the rest of the chain.
            payload.put("merkleRoot", Merkle.hex(Merkle.rootOf(unhex(head.merkleFrontier()))));
        }
        payload.put("algorithm", DigestSigner.ALGORITHM);
        payload.put("keyId", signer.keyId());
        return entry(head, "digest-" + region + "-" + head.nextSequence(), AuditEntryKind.DIGEST, region, at, "system",
                DIGEST_ACTION, "chain:" + region, source, DIGEST_TYPE, payload, signer);
    }

    /** The head after {@code entry} was appended. */
    public static ChainHead advance(ChainHead head, AuditRecord entry) {
        if (entry.kind() == AuditEntryKind.DIGEST) {
            return new ChainHead(head.nextSequence() + 1, entry.hash(), 0, 0, entry.time(), List.of());
        }
        List<String> frontier = null;
        if (head.merkleFrontier() != null) {
            frontier = new ArrayList<>();
            for (byte[] node : Merkle.append(unhex(head.merkleFrontier()), head.sinceDigest(),
                    Merkle.entryLeaf(entry.hash()))) {
                frontier.add(Merkle.hex(node));
            }
        }
        return new ChainHead(head.nextSequence() + 1, entry.hash(), head.sinceDigest() + 1,
                head.sinceDigest() == 0 ? entry.sequence() : head.firstSinceDigest(), entry.time(), frontier);
    }

    private static List<byte[]> unhex(List<String> hex) {
        List<byte[]> nodes = new ArrayList<>(hex.size());
        hex.forEach(node -> nodes.add(Merkle.unhex(node)));
        return nodes;
    }

    private static AuditRecord entry(ChainHead head, String id, AuditEntryKind kind, String region, Instant time,
            String actor, String action, String resource, String source, String type, JsonNode payload,
            DigestSigner signer) {
        Instant at = Canonical.truncate(time);
        // Times grow along a chain (by a microsecond where the clock did not move or stepped back a little), so a
        // region's entries sort the same by time as by sequence. A clock that was far ahead and was corrected is not
        // followed: its last time would hold every later entry in the future.
        if (head.lastTime() != null && !at.isAfter(head.lastTime())
                && Duration.between(at, head.lastTime()).compareTo(MAX_CLOCK_STEP_BACK) <= 0) {
            at = head.lastTime().plus(1, ChronoUnit.MICROS);
        }
        String hash = Canonical.hash(head.lastHash(), id, kind, region, head.nextSequence(), at, actor, action, resource,
                source, type, payload);
        return new AuditRecord(id, kind, region, head.nextSequence(), at, actor, action, resource, source, type, payload,
                head.lastHash(), hash, signer == null ? null : signer.sign(hash));
    }
}
