package dev.meridian.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.validation.ContractViolationException;
import dev.meridian.contracts.validation.Violation;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContractJsonTest {

    private static final NodeMetric SAMPLE = ContractSamples.nodeMetric();

    @ParameterizedTest
    @ValueSource(strings = {"{\"nodeId\":", "not json", "", "{\"nodeId\":\"a\",}"})
    void rejectsMalformedJsonAsTheWholeDocument(String json) {
        assertViolation(() -> ContractJson.read(json, NodeMetric.class), "$", "json");
    }

    @Test
    void readsUncheckedWhatTheContractRefusesButStillRefusesWhatCannotBeBound() {
        String outOfRange = JsonTrees.set(SAMPLE, "gpuUtil", "150");

        assertViolation(() -> ContractJson.read(outOfRange, NodeMetric.class), "gpuUtil", "range");
        assertThat(ContractJson.readUnchecked(outOfRange.getBytes(StandardCharsets.UTF_8),
                NodeMetric.class).gpuUtil()).as("its checks are the reader's own").isEqualTo(150.0);
        assertViolation(() -> ContractJson.readUnchecked("{\"nodeId\":".getBytes(StandardCharsets.UTF_8),
                NodeMetric.class), "$", "json");
        assertViolation(() -> ContractJson.readUnchecked(JsonTrees.set(SAMPLE, "gpuUtil", "\"high\"")
                .getBytes(StandardCharsets.UTF_8), NodeMetric.class), "gpuUtil", "type");
    }

    @Test
    void rejectsTrailingContentAfterAValidDocument() {
        String json = ContractJson.writeString(SAMPLE) + " {}";

        assertViolation(() -> ContractJson.read(json, NodeMetric.class), "$", "json");
    }

    @Test
    void rejectsDocumentThatIsNotAnObject() {
        assertViolation(() -> ContractJson.read("[1, 2]", NodeMetric.class), "$", "type");
    }

    @Test
    void rejectsStringWhereNumberBelongs() {
        String json = JsonTrees.set(SAMPLE, "gpuUtil", "\"high\"");

        Violation violation = assertViolation(() -> ContractJson.read(json, NodeMetric.class), "gpuUtil", "type");
        assertThat(violation.message()).isEqualTo("gpuUtil must be a number");
    }

    @Test
    void rejectsNumericStringForAnIntegerRatherThanCoercingIt() {
        String json = JsonTrees.set(SAMPLE, "gpuCount", "\"8\"");

        assertViolation(() -> ContractJson.read(json, NodeMetric.class), "gpuCount", "type");
    }

    @Test
    void rejectsFractionForAnIntegerRatherThanTruncatingIt() {
        String json = JsonTrees.set(SAMPLE, "gpuCount", "7.5");

        Violation violation = assertViolation(() -> ContractJson.read(json, NodeMetric.class), "gpuCount", "type");
        assertThat(violation.message()).isEqualTo("gpuCount must be an integer, was 7.5");
    }

    @Test
    void rejectsNumberWhereStringBelongs() {
        String json = JsonTrees.set(SAMPLE, "nodeId", "42");

        assertViolation(() -> ContractJson.read(json, NodeMetric.class), "nodeId", "type");
    }

    @Test
    void rejectsUnknownEnumValueListingTheAllowedOnes() {
        String json = JsonTrees.set(SAMPLE, "tier", "\"GPU\"");

        Violation violation = assertViolation(() -> ContractJson.read(json, NodeMetric.class), "tier", "enum");
        assertThat(violation.message()).isEqualTo("tier must be one of [CORE_GPU, EDGE_CPU], was \"GPU\"");
    }

    @Test
    void rejectsEnumGivenByOrdinal() {
        String json = JsonTrees.set(SAMPLE, "tier", "1");

        assertViolation(() -> ContractJson.read(json, NodeMetric.class), "tier", "enum");
    }

    @Test
    void rejectsTimestampThatIsNotIso8601() {
        String json = JsonTrees.set(SAMPLE, "timestamp", "\"yesterday\"");

        Violation violation = assertViolation(() -> ContractJson.read(json, NodeMetric.class), "timestamp", "type");
        assertThat(violation.message()).isEqualTo("timestamp must be an ISO-8601 instant, was \"yesterday\"");
    }

    @Test
    void namesTheFullPathOfAMissingNestedField() {
        String json = JsonTrees.remove(ContractSamples.routingWeights(), "tiers[0].regions[1].latencyMs");

        Violation violation = assertViolation(() -> ContractJson.read(json, RoutingWeights.class),
                "tiers[0].regions[1].latencyMs", "required");
        assertThat(violation.message()).isEqualTo("tiers[0].regions[1].latencyMs is required");
    }

    @Test
    void rejectsNullInsideAList() {
        String json = JsonTrees.set(ContractSamples.routingWeights(), "excluded", "[null]");

        assertViolation(() -> ContractJson.read(json, RoutingWeights.class), "excluded[0]", "required");
    }

    @Test
    void readsBareNanAsAValueTheFiniteRuleRejects() {
        String json = JsonTrees.tree(SAMPLE).toString().replace("\"cpuUtil\":35.0", "\"cpuUtil\":NaN");

        Violation violation = assertViolation(() -> ContractJson.read(json, NodeMetric.class), "cpuUtil", "finite");
        assertThat(violation.message()).isEqualTo("cpuUtil must be finite, was NaN");
    }

    @Test
    void reportsEveryViolationOfADocumentNotOnlyTheFirst() {
        ObjectNode tree = JsonTrees.tree(SAMPLE);
        tree.put("gpuUtil", 4294967295L).put("memUtil", -1).put("nodeId", " ");

        assertThatThrownBy(() -> ContractJson.read(tree.toString(), NodeMetric.class))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactly("nodeId", "gpuUtil", "memUtil"));
    }

    @Test
    void omitsAbsentOptionalFields() {
        PoolUtilization pool = ContractSamples.poolUtilization(Tier.CORE_GPU);

        ObjectNode written = JsonTrees.parse(ContractJson.writeString(pool));

        assertThat(pool.kvCacheAvg()).isNull();
        assertThat(written.has("kvCacheAvg")).isFalse();
        assertThat(ContractJson.read(written.toString(), PoolUtilization.class)).isEqualTo(pool);
    }

    @Test
    void writesInstantsAsIso8601Strings() {
        ObjectNode written = JsonTrees.parse(ContractJson.writeString(SAMPLE));

        assertThat(written.get("timestamp").textValue()).isEqualTo("2026-11-27T13:00:00Z");
    }

    @Test
    void writesMoneyAsAnExactPlainDecimalString() {
        SpendAggregate sample = ContractSamples.spendAggregate();
        SpendAggregate large = new SpendAggregate(sample.id(), sample.region(), sample.hourStart(), sample.tags(),
                new BigDecimal("1E+3"), sample.currency(), sample.nodeSeconds(), sample.computedAt());

        assertThat(JsonTrees.parse(ContractJson.writeString(sample)).get("amount").textValue())
                .isEqualTo("1234.567890");
        assertThat(JsonTrees.parse(ContractJson.writeString(large)).get("amount").textValue()).isEqualTo("1000");
    }

    @Test
    void readsMoneyFromStringOrNumberWithoutLosingDigits() {
        SpendAggregate sample = ContractSamples.spendAggregate();
        String asNumber = ContractJson.writeString(sample)
                .replace("\"amount\":\"1234.567890\"", "\"amount\":0.1000000000000000055511151231257827");

        assertThat(ContractJson.read(asNumber, SpendAggregate.class).amount())
                .isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
    }

    @Test
    void rejectsMoneyThatIsNotADecimal() {
        String json = JsonTrees.set(ContractSamples.spendAggregate(), "amount", "\"12 dollars\"");

        assertViolation(() -> ContractJson.read(json, SpendAggregate.class), "amount", "type");
    }

    @Test
    void refusesToWriteAnInvalidValue() {
        NodeMetric corrupt = JsonTrees.with(SAMPLE, "gpuUtil", "4294967295");

        assertViolation(() -> ContractJson.write(corrupt), "gpuUtil", "range");
    }

    @Test
    void sharedMapperStillWritesInvalidValuesForSimulatorsThatNeedThem() throws Exception {
        NodeMetric corrupt = JsonTrees.with(SAMPLE, "gpuUtil", "4294967295");

        String json = ContractJson.mapper().writeValueAsString(corrupt);

        assertThat(JsonTrees.parse(json).get("gpuUtil").asLong()).isEqualTo(4294967295L);
    }

    private static Violation assertViolation(ThrowingCallable call, String field, String rule) {
        ContractViolationException[] caught = new ContractViolationException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(ContractViolationException.class, e -> {
            assertThat(e.field()).as("field of %s", e.violations()).isEqualTo(field);
            assertThat(e.rule()).as("rule of %s", e.violations()).isEqualTo(rule);
            caught[0] = e;
        });
        return caught[0].violations().get(0);
    }
}
