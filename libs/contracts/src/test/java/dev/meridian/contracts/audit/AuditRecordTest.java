package dev.meridian.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.validation.Violation;
import org.junit.jupiter.api.Test;

class AuditRecordTest {

    private static final AuditRecord RECORD = ContractSamples.auditRecord();

    @Test
    void digestMustBeSignedAndRecordMustNotBe() {
        AuditRecord unsignedDigest = JsonTrees.with(RECORD, "kind", "\"DIGEST\"");
        AuditRecord signedRecord = JsonTrees.with(RECORD, "signature", "\"MEUCIQ...\"");

        assertThat(unsignedDigest.violations()).containsExactly(
                new Violation("signature", "required", "signature is required"));
        assertThat(signedRecord.violations()).containsExactly(new Violation("signature", "consistency",
                "signature must be null unless kind is DIGEST"));
        assertThat(JsonTrees.with(unsignedDigest, "signature", "\"MEUCIQ...\"").violations()).isEmpty();
    }

    @Test
    void rejectsUpperCaseHash() {
        AuditRecord record = JsonTrees.with(RECORD, "previousHash", "\"" + "A".repeat(64) + "\"");

        assertThat(record.violations()).extracting(Violation::field, Violation::rule)
                .containsExactly(tuple("previousHash", "format"));
    }

    @Test
    void rejectsJsonNullPayload() {
        assertThat(JsonTrees.with(RECORD, "payload", "null").violations())
                .containsExactly(new Violation("payload", "required", "payload is required"));
    }

    @Test
    void payloadCannotBeChangedThroughTheRecord() {
        ((ObjectNode) RECORD.payload()).put("delta", 400);

        assertThat(RECORD.payload().get("delta").asInt()).isEqualTo(4);
    }
}
