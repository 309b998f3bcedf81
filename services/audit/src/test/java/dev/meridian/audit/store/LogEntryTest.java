package dev.meridian.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meridian.audit.Pipeline;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.Operation;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogEntryTest {

    private static final Instant AT = Instant.parse("2026-11-27T10:00:00.123456Z");

    @Test
    void readsWhatTheChainerWritesWithThePayloadTextUntouched() throws Exception {
        ChainHead head = Chains.genesis();
        AuditRecord record = Chains.record(head, new Operation("op-1", AT, "us-east", "alice", "scale.scale_out",
                "pool:us-east/gpu", "/src", "t.v1", JsonNodeFactory.instance.objectNode().put("pool", "gpü \"q\"")
                        .set("nested", JsonNodeFactory.instance.objectNode().put("n", 1.5))));
        AuditRecord digest = Chains.digest(Chains.advance(head, record), "us-east", AT, Pipeline.SIGNER, "/audit");

        LogEntry entry = LogEntry.parse(ContractJson.write(record));
        LogEntry signed = LogEntry.parse(ContractJson.write(digest));

        assertThat(entry).isEqualTo(new LogEntry("op-1", "RECORD", "us-east", 0, AT, "alice", "scale.scale_out",
                "pool:us-east/gpu", "/src", "t.v1", entry.payloadJson(), AuditRecord.GENESIS_HASH, record.hash(), null));
        assertThat(ContractJson.mapper().readTree(entry.payloadJson())).isEqualTo(record.payload());
        assertThat(signed.kind()).isEqualTo("DIGEST");
        assertThat(signed.signature()).isEqualTo(digest.signature());
        assertThat(signed.sequence()).isEqualTo(1);
    }

    @Test
    void refusesWhatIsNotAnAuditRecord() {
        String valid = new String(ContractJson.write(Chains.record(Chains.genesis(), new Operation("op-2", AT,
                "us-east", "alice", "a.b", "r", "/s", "t.v1", JsonNodeFactory.instance.objectNode()))),
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> LogEntry.parse(valid.replace("\"RECORD\"", "\"OTHER\"").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> LogEntry.parse(valid.replaceAll("\"hash\":\"[0-9a-f]+\"", "\"hash\":\"xyz\"")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("hash");
        assertThatThrownBy(() -> LogEntry.parse("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("object");
        assertThatThrownBy(() -> LogEntry.parse("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("required");
    }
}
