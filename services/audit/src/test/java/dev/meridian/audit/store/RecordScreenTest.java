package dev.meridian.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.Operation;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RecordScreenTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String TOPIC = TopicCatalog.AUDIT_LOG;

    @Test
    void skipsStoredOffsetsRefusesWhatTheStoreMustNotHoldAndAdmitsTheRest() {
        ChainHead head = Chains.genesis();
        AuditRecord first = entry(head, "op-1", NOW.minusSeconds(60));
        head = Chains.advance(head, first);
        AuditRecord old = entry(head, "op-2", Instant.parse("1970-01-01T00:00:00Z"));
        head = Chains.advance(head, old);
        AuditRecord last = entry(head, "op-3", Instant.parse("2026-10-31T23:59:59Z"));
        byte[] malformed = "not json".getBytes(StandardCharsets.UTF_8);

        ConsumerRecords<String, byte[]> batch = batch(List.of(
                record(0, 4, ContractJson.write(first)),
                record(0, 5, ContractJson.write(old)),
                record(0, 6, malformed),
                record(1, 10, ContractJson.write(last)),
                record(1, 11, ContractJson.write(first))));
        // Partition 1 has offset 11 stored: offset 10 is skipped, 11 is not.
        RecordScreen screen = new RecordScreen(Map.of(1, 11L), StoreWriter.Limits.DEFAULT, NOW);

        RecordScreen.Admitted admitted = screen.admitAll(batch);

        assertThat(admitted.reads()).extracting(read -> read.entry().id() + "@" + read.record().offset())
                .containsExactly("op-1@4", "op-1@11");
        assertThat(admitted.months()).containsExactly(YearMonth.of(2026, 11));
        assertThat(screen.skipped()).isEqualTo(1);
        assertThat(screen.next()).isEqualTo(Map.of(0, 7L, 1, 12L));
        assertThat(screen.refusals()).extracting(refusal -> refusal.kind() + "@" + refusal.offset())
                .containsExactly("TIME_OUT_OF_RANGE@5", "MALFORMED@6");
        assertThat(screen.refusals().get(0).entry().id()).isEqualTo("op-2");
        assertThat(screen.refusals().get(1).entry()).isNull();
        assertThat(screen.refusals().get(1).raw()).isEqualTo(malformed);
    }

    @Test
    void screeningRecordByRecordAgreesWithScreeningTheWholeBatch() {
        ChainHead head = Chains.genesis();
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            AuditRecord entry = entry(head, "op-" + i, NOW.minusSeconds(40 - i));
            head = Chains.advance(head, entry);
            byte[] value = i % 7 == 3 ? new byte[] {'{'} : ContractJson.write(entry);
            records.add(record(i % 3, 100 + i, value));
        }
        ConsumerRecords<String, byte[]> batch = batch(records);
        Map<Integer, Long> stored = Map.of(0, 112L, 2, 101L);

        RecordScreen streamed = new RecordScreen(stored, StoreWriter.Limits.DEFAULT, NOW);
        List<String> streamedIds = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            LogEntry entry = streamed.admit(record);
            if (entry != null) {
                streamedIds.add(entry.id());
            }
        }
        RecordScreen whole = new RecordScreen(stored, StoreWriter.Limits.DEFAULT, NOW);
        List<String> wholeIds = new ArrayList<>();
        whole.admitAll(batch).entries().forEach(entry -> wholeIds.add(entry.id()));

        assertThat(wholeIds).isEqualTo(streamedIds).isNotEmpty();
        assertThat(whole.next()).isEqualTo(streamed.next());
        assertThat(whole.skipped()).isEqualTo(streamed.skipped()).isPositive();
        assertThat(whole.refusals()).extracting(Refusal::offset)
                .isEqualTo(streamed.refusals().stream().map(Refusal::offset).toList()).isNotEmpty();
    }

    private static AuditRecord entry(ChainHead head, String id, Instant at) {
        return Chains.record(head, new Operation(id, at, "us-east", "alice", "a.b", "r", "/s", "t.v1",
                JsonNodeFactory.instance.objectNode()));
    }

    private static ConsumerRecord<String, byte[]> record(int partition, long offset, byte[] value) {
        return new ConsumerRecord<>(TOPIC, partition, offset, "us-east", value);
    }

    private static ConsumerRecords<String, byte[]> batch(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byPartition.computeIfAbsent(new TopicPartition(TOPIC, record.partition()), p -> new ArrayList<>())
                    .add(record);
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }
}
