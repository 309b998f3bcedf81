package dev.meridian.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.auditproof.Canonical;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
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

}
