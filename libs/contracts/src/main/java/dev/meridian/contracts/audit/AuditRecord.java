package dev.meridian.contracts.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * One entry of a region's hash chain on {@code meridian.audit.log.v1}: {@code hash} is
 * SHA-256(previousHash ‖ canonical record), written by the one chainer that owns the region.
 *
 * @param id           unique; the store's idempotency key
 * @param sequence     position in the region's chain, from 0
 * @param actor        who did it (user, service account, or {@code system})
 * @param action       what was done, e.g. {@code scale.command}, {@code registry.update}, {@code audit.search}
 * @param resource     what it was done to, e.g. {@code pool:us-east/gpu-a100}
 * @param source       CloudEvents source of the operation's event
 * @param type         CloudEvents type of the operation's event
 * @param payload      the operation's event, or the digest's content
 * @param previousHash hash of the previous entry; 64 zeros for the first entry of a chain
 * @param hash         64 lower-case hex characters
 * @param signature    the digest's signature; set if and only if {@code kind} is DIGEST
 */
public record AuditRecord(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) AuditEntryKind kind,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) long sequence,
        @JsonProperty(required = true) Instant time,
        @JsonProperty(required = true) String actor,
        @JsonProperty(required = true) String action,
        @JsonProperty(required = true) String resource,
        @JsonProperty(required = true) String source,
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) JsonNode payload,
        @JsonProperty(required = true) String previousHash,
        @JsonProperty(required = true) String hash,
        String signature) implements Validated {

    /** {@code previousHash} of the first entry of a chain. */
    public static final String GENESIS_HASH = "0".repeat(64);

    public AuditRecord {
        // JsonNode is mutable; a record that hashes its content must not change after construction.
        payload = payload == null ? null : payload.deepCopy();
    }

    /** A copy, for the same reason the constructor copies. */
    @Override
    public JsonNode payload() {
        return payload == null ? null : payload.deepCopy();
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .id("id", id)
                .required("kind", kind)
                .id("region", region)
                .nonNegative("sequence", sequence)
                .required("time", time)
                .text("actor", actor, Checks.MAX_TEXT_LENGTH)
                .id("action", action)
                .text("resource", resource, Checks.MAX_TEXT_LENGTH)
                .text("source", source, Checks.MAX_TEXT_LENGTH)
                .id("type", type)
                .required("payload", payload == null || payload.isNull() ? null : payload)
                .sha256Hex("previousHash", previousHash)
                .sha256Hex("hash", hash);
        if (kind == AuditEntryKind.DIGEST) {
            checks.text("signature", signature, 4096);
        } else if (kind != null) {
            checks.rule(signature == null, "signature", Checks.CONSISTENCY,
                    () -> "signature must be null unless kind is DIGEST");
        }
        return checks.result();
    }
}
