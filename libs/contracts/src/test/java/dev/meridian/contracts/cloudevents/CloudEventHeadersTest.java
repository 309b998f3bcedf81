package dev.meridian.contracts.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.validation.ContractViolationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {

    private static final CloudEventAttributes ATTRIBUTES = new CloudEventAttributes("5f0c-42", "/meridian/scaler/us-east",
            ContractType.SCALE_COMMAND.ceType(), ContractSamples.T0.plusMillis(123), "us-east");

    @Test
    void attributesRoundTripThroughKafkaHeaders() {
        Headers headers = CloudEventHeaders.write(new RecordHeaders(), ATTRIBUTES);

        assertThat(CloudEventHeaders.read(headers)).contains(ATTRIBUTES);
    }

    @Test
    void writesBinaryModeHeadersAsUtf8Text() {
        Headers headers = CloudEventHeaders.write(new RecordHeaders(), ATTRIBUTES);

        assertThat(text(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(text(headers, "ce_id")).isEqualTo("5f0c-42");
        assertThat(text(headers, "ce_source")).isEqualTo("/meridian/scaler/us-east");
        assertThat(text(headers, "ce_type")).isEqualTo("dev.meridian.scaling.command.v1");
        assertThat(text(headers, "ce_time")).isEqualTo("2026-11-27T13:00:00.123Z");
        assertThat(text(headers, "ce_subject")).isEqualTo("us-east");
        assertThat(text(headers, "content-type")).isEqualTo("application/json");
    }

    @Test
    void rewritingReplacesEarlierAttributesInsteadOfAddingSecondOnes() {
        Headers headers = CloudEventHeaders.write(new RecordHeaders(), ATTRIBUTES);
        CloudEventAttributes next = CloudEventAttributes.of(ContractType.AUDIT_RECORD, "/meridian/audit/us-east",
                ContractSamples.T0, "us-east");

        CloudEventHeaders.write(headers, next);

        assertThat(headers.headers("ce_id")).hasSize(1);
        assertThat(CloudEventHeaders.read(headers)).contains(next);
    }

    @Test
    void recordWithoutCloudEventHeadersReadsAsEmpty() {
        assertThat(CloudEventHeaders.read(new RecordHeaders())).isEmpty();
    }

    @Test
    void optionalTimeAndSubjectMayBeAbsent() {
        CloudEventAttributes bare = new CloudEventAttributes("1", "/debezium", "io.debezium.change", null, null);

        Headers headers = CloudEventHeaders.write(new RecordHeaders(), bare);

        assertThat(headers.lastHeader("ce_time")).isNull();
        assertThat(CloudEventHeaders.read(headers)).contains(bare);
    }

    @Test
    void rejectsCloudEventMissingItsId() {
        Headers headers = CloudEventHeaders.write(new RecordHeaders(), ATTRIBUTES);
        headers.remove("ce_id");

        assertThatThrownBy(() -> CloudEventHeaders.read(headers))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.field()).isEqualTo("ce_id");
                    assertThat(e.rule()).isEqualTo("required");
                });
    }

    @Test
    void rejectsUnsupportedSpecVersionAndMalformedTime() {
        Headers otherVersion = CloudEventHeaders.write(new RecordHeaders(), ATTRIBUTES);
        otherVersion.remove("ce_specversion").add("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8));
        Headers badTime = CloudEventHeaders.write(new RecordHeaders(), ATTRIBUTES);
        badTime.remove("ce_time").add("ce_time", "yesterday".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> CloudEventHeaders.read(otherVersion)).isInstanceOf(ContractViolationException.class)
                .hasMessage("ce_specversion must be 1.0, was 0.3");
        assertThatThrownBy(() -> CloudEventHeaders.read(badTime)).isInstanceOf(ContractViolationException.class)
                .hasMessage("ce_time must be an RFC 3339 timestamp, was yesterday");
    }

    @Test
    void eachContractHasItsOwnTypeAndTopicAndTypesCarryTheSchemaVersion() {
        assertThat(Arrays.stream(ContractType.values()).map(ContractType::ceType).collect(Collectors.toSet()))
                .hasSize(ContractType.values().length)
                .allMatch(type -> type.matches("dev\\.meridian(\\.[a-z-]+)+\\.v1"));
        assertThat(new HashSet<>(Arrays.stream(ContractType.values()).map(ContractType::topic).toList()))
                .hasSize(ContractType.values().length);
        for (ContractType type : ContractType.values()) {
            assertThat(ContractType.ofCeType(type.ceType())).contains(type);
            assertThat(ContractType.of(type.recordClass())).isEqualTo(type);
            assertThat(type.schemaVersion()).isEqualTo("v1");
        }
        assertThat(ContractType.NODE_METRIC.ceType()).isEqualTo("dev.meridian.metrics.node.v1");
    }

    private static String text(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
