package dev.meridian.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import java.time.Instant;

/** Appending to a chain: the arithmetic the chainer runs, usable on its own (benchmarks, tests, tools). */
public final class Chains {

    public static final String DIGEST_ACTION = "audit.digest";
    public static final String DIGEST_TYPE = "dev.meridian.audit.digest.v1";

    private Chains() {
    }

    /** The head of a chain nothing was appended to yet. */
    public static ChainHead genesis() {
        return new ChainHead(0, AuditRecord.GENESIS_HASH, 0, 0);
    }

    /** The entry recording {@code op} after {@code head}. */
    public static AuditRecord record(ChainHead head, Operation op) {
        String actor = op.actor() == null ? OperationMapper.UNATTRIBUTED : op.actor();
        return entry(head, op.id(), AuditEntryKind.RECORD, op.region(), op.time(), actor, op.action(), op.resource(),
                op.source(), op.type(), op.payload(), null);
    }

    /** The signed digest closing the records appended since the last digest. */
    public static AuditRecord digest(ChainHead head, String region, Instant at, DigestSigner signer, String source) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("fromSequence", head.firstSinceDigest());
        payload.put("toSequence", head.nextSequence() - 1);
        payload.put("records", head.sinceDigest());
        payload.put("chainHead", head.lastHash());
        payload.put("algorithm", DigestSigner.ALGORITHM);
        payload.put("keyId", signer.keyId());
        return entry(head, "digest-" + region + "-" + head.nextSequence(), AuditEntryKind.DIGEST, region, at, "system",
                DIGEST_ACTION, "chain:" + region, source, DIGEST_TYPE, payload, signer);
    }

    /** The head after {@code entry} was appended. */
    public static ChainHead advance(ChainHead head, AuditRecord entry) {
        if (entry.kind() == AuditEntryKind.DIGEST) {
            return new ChainHead(head.nextSequence() + 1, entry.hash(), 0, 0);
        }
        return new ChainHead(head.nextSequence() + 1, entry.hash(), head.sinceDigest() + 1,
                head.sinceDigest() == 0 ? entry.sequence() : head.firstSinceDigest());
    }

    private static AuditRecord entry(ChainHead head, String id, AuditEntryKind kind, String region, Instant time,
            String actor, String action, String resource, String source, String type, JsonNode payload,
            DigestSigner signer) {
        Instant at = Canonical.truncate(time);
        String hash = Canonical.hash(head.lastHash(), id, kind, region, head.nextSequence(), at, actor, action, resource,
                source, type, payload);
        return new AuditRecord(id, kind, region, head.nextSequence(), at, actor, action, resource, source, type, payload,
                head.lastHash(), hash, signer == null ? null : signer.sign(hash));
    }
}
