package dev.meridian.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CanonicalTest {

    private static final Instant AT = Instant.parse("2026-11-27T10:00:00.123456Z");

    private static String hash(String payload, String actor) throws Exception {
        JsonNode json = ContractJson.mapper().readTree(payload);
        return Canonical.hash(AuditRecord.GENESIS_HASH, "id-1", AuditEntryKind.RECORD, "us-east", 0, AT, actor,
                "scale.scale_out", "pool:us-east/gpu", "/src", "t.v1", json);
    }

    @Test
    void keyOrderWhitespaceAndTrailingZerosAsJsonbWritesThemDoNotChangeTheHash() throws Exception {
        String original = hash("{\"b\": 40.50, \"a\": {\"y\": [1, 2], \"x\": \"s\"}}", "alice");
        String asJsonbReturnsIt = hash("{\"a\":{\"x\":\"s\",\"y\":[1,2]},\"b\":40.5}", "alice");

        assertThat(asJsonbReturnsIt).isEqualTo(original).matches("[0-9a-f]{64}");
    }

    @Test
    void anyChangedFieldChangesTheHash() throws Exception {
        assertThat(hash("{\"a\":1}", "alice")).isNotEqualTo(hash("{\"a\":1}", "mallory"))
                .isNotEqualTo(hash("{\"a\":2}", "alice"));
    }

    @Test
    void signatureVerifiesOnlyTheSignedHashWithTheSameKey() {
        DigestSigner signer = new DigestSigner("k".repeat(32).getBytes(StandardCharsets.US_ASCII), "k1");
        DigestSigner other = new DigestSigner("x".repeat(32).getBytes(StandardCharsets.US_ASCII), "k1");
        String hash = "a".repeat(64);
        String signature = signer.sign(hash);

        assertThat(signer.verify(hash, signature)).isTrue();
        assertThat(signer.verify("b".repeat(64), signature)).isFalse();
        assertThat(other.verify(hash, signature)).isFalse();
        assertThat(signer.verify(hash, "k1:not-base64!")).isFalse();
    }
}
