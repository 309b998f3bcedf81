package dev.meridian.contracts;

import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.validation.Validated;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every record Meridian publishes, with its CloudEvents {@code ce_type}, its topic and its JSON Schema.
 * The one mapping between the three, so consumers can dispatch on this enum instead of on strings.
 * The trailing {@code v1} of a type is the record's schema version.
 */
public enum ContractType {
    NODE_METRIC(NodeMetric.class, "dev.meridian.metrics.node.v1", TopicCatalog.METRICS_NODE),
    NODE_UTILIZATION(NodeUtilization.class, "dev.meridian.utilization.node.v1", TopicCatalog.UTILIZATION_NODE),
    POOL_UTILIZATION(PoolUtilization.class, "dev.meridian.utilization.pool.v1", TopicCatalog.UTILIZATION_POOL),
    FLEET_NODE(FleetNode.class, "dev.meridian.fleet.node.v1", TopicCatalog.FLEET_NODES),
    LATENCY_PROBE(LatencyProbe.class, "dev.meridian.latency.probe.v1", TopicCatalog.LATENCY),
    INTERRUPTION(Interruption.class, "dev.meridian.fleet.interruption.v1", TopicCatalog.FLEET_INTERRUPTIONS),
    ROUTING_WEIGHTS(RoutingWeights.class, "dev.meridian.routing.weights.v1", TopicCatalog.ROUTING_WEIGHTS),
    SCALE_COMMAND(ScaleCommand.class, "dev.meridian.scaling.command.v1", TopicCatalog.SCALING_COMMANDS),
    SPEND_AGGREGATE(SpendAggregate.class, "dev.meridian.cost.spend.v1", TopicCatalog.COST_SPEND),
    BUDGET_STATUS(BudgetStatus.class, "dev.meridian.cost.budget-status.v1", TopicCatalog.COST_BUDGET_STATUS),
    BUDGET_ALERT(BudgetAlert.class, "dev.meridian.cost.alert.v1", TopicCatalog.COST_ALERTS),
    AUDIT_RECORD(AuditRecord.class, "dev.meridian.audit.record.v1", TopicCatalog.AUDIT_LOG),
    ACCESS_DENIAL(AccessDenial.class, AccessDenial.TYPE, TopicCatalog.AUDIT_OPERATIONS),
    OPERATOR_ACTION(OperatorAction.class, "dev.meridian.operator.action.v1", TopicCatalog.OPERATOR_ACTIONS),
    ACTION_RESULT(ActionResult.class, "dev.meridian.operator.action-result.v1", TopicCatalog.OPERATOR_ACTION_RESULTS);

    private final Class<? extends Validated> recordClass;
    private final String ceType;
    private final String topic;

    ContractType(Class<? extends Validated> recordClass, String ceType, String topic) {
        this.recordClass = recordClass;
        this.ceType = ceType;
        this.topic = topic;
    }

    public Class<? extends Validated> recordClass() {
        return recordClass;
    }

    /** The CloudEvents {@code ce_type} header value. */
    public String ceType() {
        return ceType;
    }

    /** The topic this record is published on. */
    public String topic() {
        return topic;
    }

    /** Schema version, as carried in the last segment of {@link #ceType()}. */
    public String schemaVersion() {
        return ceType.substring(ceType.lastIndexOf('.') + 1);
    }

    /** Class-path resource of the record's JSON Schema, e.g. {@code /schemas/NodeMetric.schema.json}. */
    public String schemaResource() {
        return "/schemas/" + recordClass.getSimpleName() + ".schema.json";
    }

    /** The schema's {@code $id}, e.g. {@code urn:meridian:schema:NodeMetric:v1}. */
    public String schemaId() {
        return "urn:meridian:schema:" + recordClass.getSimpleName() + ":" + schemaVersion();
    }

    public static ContractType of(Class<?> recordClass) {
        return Arrays.stream(values()).filter(type -> type.recordClass == recordClass).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(recordClass.getName() + " is not a Meridian contract"));
    }

    public static Optional<ContractType> ofCeType(String ceType) {
        return Arrays.stream(values()).filter(type -> type.ceType.equals(ceType)).findFirst();
    }
}
