package dev.meridian.contracts.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeRefTest {

    private static final Instant T0 = ContractSamples.T0;
    private static final NodeRef REF = new NodeRef("gpu-use1-0001", "us-east", "US", "inference-a100", Tier.CORE_GPU,
            "p4d.24xlarge", CapacityType.ON_DEMAND);

    @Test
    void aCompleteIdentityIsValid() {
        assertThat(REF.violations()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "nodeId       | '\"\"'                | blank             | nodeId must not be blank",
            "nodeId       | '\"   \"'             | blank             | nodeId must not be blank",
            "nodeId       | '\"gpu\\u0000x\"'     | control character | nodeId must not contain control characters, found U+0000 at index 3",
            "region       | '\"us-east\\nFAKE\"'  | control character | region must not contain control characters, found U+000A at index 7",
            "zone         | null                  | required          | zone is required",
            "pool         | '\"\\t\"'             | blank             | pool must not be blank",
            "tier         | null                  | required          | tier is required",
            "instanceType | '\"p4d\\u009b\"'      | control character | instanceType must not contain control characters, found U+009B at index 3",
            "capacityType | null                  | required          | capacityType is required",
    })
    void reportsTheBrokenFieldByItsFlatName(String field, String json, String rule, String message) {
        NodeRef broken = JsonTrees.with(REF, field, json);

        assertThat(broken.violations()).containsExactly(new Violation(field, rule, message));
    }

    @Test
    void boundsIdentifiersAt128Characters() {
        assertThat(JsonTrees.with(REF, "nodeId", "\"" + "n".repeat(128) + "\"").violations()).isEmpty();
        assertThat(JsonTrees.with(REF, "nodeId", "\"" + "n".repeat(129) + "\"").violations())
                .containsExactly(new Violation("nodeId", "length", "nodeId must be at most 128 characters, was 129"));
    }

    @Test
    void reportsEveryBrokenFieldInComponentOrder() {
        NodeRef empty = new NodeRef(null, " ", null, "", null, null, null);

        assertThat(empty.violations()).extracting(Violation::field, Violation::rule).containsExactly(
                tuple("nodeId", "required"),
                tuple("region", "blank"),
                tuple("zone", "required"),
                tuple("pool", "blank"),
                tuple("tier", "required"),
                tuple("instanceType", "required"),
                tuple("capacityType", "required"));
    }

    @Test
    void theRecordsCarryingAnIdentityReportItsViolationsFlatAndFirst() {
        NodeRef broken = new NodeRef("gpu-use1-0001", "us-east", "", "inference-a100", null, "p4d.24xlarge",
                CapacityType.ON_DEMAND);
        FleetNode node = new FleetNode(broken, null, T0, T0);
        NodeMetric metric = new NodeMetric(broken, T0, 8, 150, 0, 0, 0, 0, 0, 0, null, null);
        NodeUtilization window = new NodeUtilization(broken, T0, T0.plusSeconds(10), 1, 0, 0, 0, 0, 0, 0, 0, null,
                null);

        assertThat(node.violations()).extracting(Violation::field).containsExactly("zone", "tier", "state");
        assertThat(metric.violations()).extracting(Violation::field).containsExactly("zone", "tier", "gpuUtil");
        assertThat(window.violations()).extracting(Violation::field).containsExactly("zone", "tier");
        assertThat(node.violations().subList(0, 2)).isEqualTo(broken.violations());
    }

    @Test
    void eachRecordHandsOutItsIdentityAndIsBuiltBackFromIt() {
        FleetNode node = (FleetNode) ContractSamples.sample(ContractType.FLEET_NODE);
        NodeMetric metric = ContractSamples.nodeMetric();
        NodeUtilization window = (NodeUtilization) ContractSamples.sample(ContractType.NODE_UTILIZATION);

        assertThat(node.ref()).isEqualTo(REF);
        assertThat(metric.ref()).isEqualTo(REF);
        assertThat(window.ref()).isEqualTo(REF);
        assertThat(new FleetNode(node.ref(), node.state(), node.since(), node.lastSeen())).isEqualTo(node);
        assertThat(new NodeMetric(metric.ref(), metric.timestamp(), metric.gpuCount(), metric.gpuUtil(),
                metric.gpuMemUsedMiB(), metric.gpuMemTotalMiB(), metric.cpuUtil(), metric.memUtil(),
                metric.netRxBytesPerSec(), metric.netTxBytesPerSec(), metric.queueDepth(), metric.kvCacheUtil()))
                .isEqualTo(metric);
        assertThat(new NodeUtilization(window.ref(), window.windowStart(), window.windowEnd(), window.sampleCount(),
                window.gpuAvg(), window.gpuMax(), window.gpuMemPeakPct(), window.cpuAvg(), window.memAvg(),
                window.netRxAvg(), window.netTxAvg(), window.queueDepthAvg(), window.kvCacheAvg())).isEqualTo(window);
    }

    @Test
    void theIdentityIsNotWrittenAsAnObjectOfItsOwn() {
        for (ContractType type : new ContractType[] {ContractType.FLEET_NODE, ContractType.NODE_METRIC,
                ContractType.NODE_UTILIZATION}) {
            assertThat(JsonTrees.tree(ContractSamples.sample(type)).has("ref")).as(type.name()).isFalse();
        }
    }
}
