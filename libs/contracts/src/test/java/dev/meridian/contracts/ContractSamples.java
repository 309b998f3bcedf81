package dev.meridian.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionOverride;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.cost.AlertBasis;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.routing.Exclusion;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.ExclusionScope;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.contracts.validation.Validated;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One valid instance of every contract, plus the cases the parameterized tests derive from them, so every
 * record is covered by the same tests and adding a record means adding one sample here.
 */
public final class ContractSamples {

    public static final Instant T0 = Instant.parse("2026-11-27T13:00:00Z");
    public static final String HASH_A = "a".repeat(64);

    private static final Map<ContractType, Validated> SAMPLES = new EnumMap<>(ContractType.class);

    static {
        SAMPLES.put(ContractType.NODE_METRIC, nodeMetric());
        SAMPLES.put(ContractType.NODE_UTILIZATION, new NodeUtilization("gpu-use1-0001", "us-east", "US",
                "inference-a100", Tier.CORE_GPU, "p4d.24xlarge", CapacityType.ON_DEMAND, T0, T0.plusSeconds(10), 10,
                72.5, 91.0, 88.2, 35.0, 61.0, 1.2e6, 8.5e5, 14.0, 55.5));
        SAMPLES.put(ContractType.POOL_UTILIZATION, poolUtilization(Tier.CORE_GPU));
        SAMPLES.put(ContractType.FLEET_NODE, new FleetNode("gpu-use1-0001", "us-east", "US", "inference-a100",
                Tier.CORE_GPU, "p4d.24xlarge", CapacityType.ON_DEMAND, NodeState.JOINED, T0.minusSeconds(3600),
                T0));
        SAMPLES.put(ContractType.LATENCY_PROBE, new LatencyProbe("eu-west", "us-east", 71.25, T0,
                "blackbox-exporter"));
        SAMPLES.put(ContractType.INTERRUPTION, new Interruption("gpu-apse1-0042", "ap-southeast", "batch-a10g", T0,
                T0.plusSeconds(120), "aws-spot-itn"));
        SAMPLES.put(ContractType.ROUTING_WEIGHTS, routingWeights());
        SAMPLES.put(ContractType.SCALE_COMMAND, scaleOut());
        SAMPLES.put(ContractType.SPEND_AGGREGATE, spendAggregate());
        SAMPLES.put(ContractType.BUDGET_STATUS, new BudgetStatus("global", "2026-11", new BigDecimal("250000.00"),
                new BigDecimal("201234.56"), new BigDecimal("243000.10"), "USD", BudgetState.WARN, 97.2,
                List.of(50, 80, 90, 95), T0));
        SAMPLES.put(ContractType.BUDGET_ALERT, new BudgetAlert(BudgetAlert.idFor("global", "2026-11", 80), "global",
                "2026-11", 80, AlertBasis.FORECAST, BudgetState.WARN, new BigDecimal("201234.56"),
                new BigDecimal("250000.00"), "USD", T0));
        SAMPLES.put(ContractType.AUDIT_RECORD, auditRecord());
        // Kinds whose every optional field may be absent at once (a pause until resumed, an applied result).
        SAMPLES.put(ContractType.OPERATOR_ACTION, new OperatorAction("5d1c7e0a-2f4b-4e8a-9b61-0c3d5e7f9a21",
                ActionKind.PAUSE, "ap-southeast", "gpu-a", null, null, null, null, "apac-operator", "incident 4711", T0));
        SAMPLES.put(ContractType.ACTION_RESULT, ActionResult.applied(operatorAction(), T0.plusSeconds(1)));
        SAMPLES.put(ContractType.ACCESS_DENIAL, AccessDenial.of(T0, "ap-southeast", "metrics-ingest", "apac-agent",
                "10.0.3.7", 403, "POST /v1/metrics", "region-not-permitted: 2 items", 0));
    }

    private ContractSamples() {
    }

    /** An OVERRIDE for a week: the action with every part filled in. */
    public static OperatorAction operatorAction() {
        return new OperatorAction("0b9f0a52-6a1c-4c2a-9d8e-3f1d2c4b5a69", ActionKind.OVERRIDE, "ap-southeast",
                "gpu-a", null, null, T0.plusSeconds(7 * 24 * 3600),
                new ActionOverride(85.0, 30.0, 60.0, 3, 2, 20), "apac-operator", "launch week", T0);
    }

    public static Validated sample(ContractType type) {
        return SAMPLES.get(type);
    }

    public static NodeMetric nodeMetric() {
        return new NodeMetric("gpu-use1-0001", "us-east", "US", "inference-a100", Tier.CORE_GPU, "p4d.24xlarge",
                CapacityType.ON_DEMAND, T0, 8, 72.5, 61440, 81920, 35.0, 61.0, 1.25e6, 8.5e5, 12.0, 55.5);
    }

    public static PoolUtilization poolUtilization(Tier tier) {
        return new PoolUtilization("us-east", "inference-a100", tier, T0, T0.plusSeconds(10), 12, 10, 1, 1, 72.5,
                96.0, 35.0, 88.2, 14.0, null);
    }

    public static RoutingWeights routingWeights() {
        TierTable gpu = new TierTable(Tier.CORE_GPU,
                List.of(new RegionWeight("us-east", 0.55, 10, 72.5, 1.0),
                        new RegionWeight("us-west", 0.04, 8, 40.0, 64.0)),
                List.of(new NodeWeight("gpu-use1-0001", "us-east", "inference-a100", 0.0058, 72.5)), null);
        TierTable edge = new TierTable(Tier.EDGE_CPU, List.of(), List.of(), "no edge pool in US is eligible");
        return new RoutingWeights("us-east", 42, T0, false, List.of(gpu, edge),
                List.of(new Exclusion(ExclusionScope.REGION, "eu-west", null, ExclusionReason.OUTSIDE_RESIDENCY,
                        "eu-west is in zone EU, client us-east in US"),
                        new Exclusion(ExclusionScope.NODE, "gpu-use1-0007", Tier.CORE_GPU, ExclusionReason.SATURATED,
                                "gpu 97.0 >= 95")));
    }

    public static ScaleCommand scaleOut() {
        return new ScaleCommand("cmd-0001", "us-east", "inference-a100", ScaleAction.SCALE_OUT, null, T0,
                T0.minusSeconds(1), 10, 14, 4, ScalePurpose.SERVE, "p4d.24xlarge", null, CapacityType.ON_DEMAND,
                Criticality.CRITICAL, BudgetState.OK, false, List.of(), "gpu 85.0 > 80 for 3 windows");
    }

    public static SpendAggregate spendAggregate() {
        Map<String, String> tags = Map.of("team", "search", "env", "prod");
        return new SpendAggregate(SpendAggregate.key("us-east", T0, tags), "us-east", T0, tags,
                new BigDecimal("1234.567890"), "USD", 36000, T0.plusSeconds(3605));
    }

    public static AuditRecord auditRecord() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("commandId", "cmd-0001").put("delta", 4);
        return new AuditRecord("us-east-000000000017", AuditEntryKind.RECORD, "us-east", 17, T0, "scaler", "scale.command",
                "pool:us-east/inference-a100", "/meridian/scaler/us-east", ContractType.SCALE_COMMAND.ceType(), payload,
                AuditRecord.GENESIS_HASH, HASH_A, null);
    }

    public static Stream<ContractType> types() {
        return Arrays.stream(ContractType.values());
    }

    /** Names of the components of {@code recordClass} marked {@code @JsonProperty(required = true)}. */
    public static List<String> requiredComponents(Class<?> recordClass) {
        return Arrays.stream(recordClass.getRecordComponents())
                .filter(ContractSamples::isRequired)
                .map(RecordComponent::getName)
                .toList();
    }

    public static boolean isRequired(RecordComponent component) {
        // The annotation sits on the component; Java propagates it to the field (and accessor, parameter).
        JsonProperty property = field(component).getAnnotation(JsonProperty.class);
        return property != null && property.required();
    }

    /** Every (contract, required top-level field) pair. */
    public static Stream<Arguments> requiredFields() {
        return types().flatMap(type -> requiredComponents(type.recordClass()).stream()
                .map(field -> Arguments.of(type, field)));
    }

    /**
     * One value per contract that breaks a rule the JSON Schema can express too, with the violation the Java
     * validation must report for it.
     */
    public static Stream<OutOfRange> outOfRange() {
        return Stream.of(
                new OutOfRange(ContractType.NODE_METRIC, "gpuUtil", "4294967295", "range",
                        "gpuUtil must be within 0..100, was 4294967295"),
                new OutOfRange(ContractType.FLEET_NODE, "nodeId", "\"" + "n".repeat(300) + "\"", "length",
                        "nodeId must be at most 128 characters, was 300"),
                new OutOfRange(ContractType.INTERRUPTION, "pool", "\"\"", "blank", "pool must not be blank"),
                new OutOfRange(ContractType.INTERRUPTION, "source", "\"itn\\u0000x\"", "control character",
                        "source must not contain control characters, found U+0000 at index 3"),
                new OutOfRange(ContractType.NODE_UTILIZATION, "gpuMax", "150", "range",
                        "gpuMax must be within 0..100, was 150.0"),
                new OutOfRange(ContractType.POOL_UTILIZATION, "cpuAvg", "-3", "range",
                        "cpuAvg must be within 0..100, was -3.0"),
                new OutOfRange(ContractType.LATENCY_PROBE, "rttMs", "-1", "negative",
                        "rttMs must not be negative, was -1.0"),
                new OutOfRange(ContractType.ROUTING_WEIGHTS, "tiers[0].regions[1].weight", "-0.5", "negative",
                        "tiers[0].regions[1].weight must not be negative, was -0.5"),
                new OutOfRange(ContractType.SCALE_COMMAND, "urgency", "\"URGENT\"", "enum",
                        "urgency must be one of [CRITICAL, NORMAL, LOW], was \"URGENT\""),
                new OutOfRange(ContractType.SPEND_AGGREGATE, "currency", "\"usd\"", "format",
                        "currency must be an ISO 4217 code of 3 upper-case letters, was usd"),
                new OutOfRange(ContractType.BUDGET_STATUS, "month", "\"2026-13\"", "format",
                        "month must be a month as YYYY-MM, was 2026-13"),
                new OutOfRange(ContractType.BUDGET_ALERT, "spent", "\"-1.00\"", "negative",
                        "spent must not be negative, was -1.00"),
                new OutOfRange(ContractType.AUDIT_RECORD, "hash", "\"ABC\"", "format",
                        "hash must be 64 lower-case hex characters, was ABC"));
    }

    /**
     * A sample with the value at {@code path} (dotted, with {@code [i]} indexes) replaced by {@code json}.
     */
    public record OutOfRange(ContractType type, String path, String json, String rule, String message) {

        @Override
        public String toString() {
            return type + " " + path + "=" + (json.length() > 20 ? json.substring(0, 20) + "..." : json);
        }
    }

    private static java.lang.reflect.Field field(RecordComponent component) {
        try {
            return component.getDeclaringRecord().getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
