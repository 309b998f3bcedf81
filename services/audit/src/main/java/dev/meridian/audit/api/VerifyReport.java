package dev.meridian.audit.api;

import dev.meridian.audit.store.ChainVerifier;

/**
 * The outcome of {@code /v1/audit/verify}.
 *
 * @param anchor  id of the signed digest the walk started from, or {@code genesis}
 * @param checked entries checked after the anchor
 * @param broken  the first entry that breaks the chain, null when it is intact
 */
public record VerifyReport(String region, boolean ok, String anchor, long anchorSequence, long checked,
        ChainVerifier.Broken broken) {

    static VerifyReport of(ChainVerifier.Result result) {
        return new VerifyReport(result.region(), result.ok(), result.anchor(), result.anchorSequence(),
                result.checked(), result.broken().orElse(null));
    }
}
