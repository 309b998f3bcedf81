package dev.meridian.contracts.json;

import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
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
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.scaling.ScaleCommand;

/**
 * One serde per contract, in the manner of Kafka's {@code Serdes}: explicit at every {@code Consumed},
 * {@code Produced} and {@code Materialized}. Keys are plain strings: use {@code Serdes.String()}.
 */
public final class ContractSerdes {

    private ContractSerdes() {
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    public static JsonSerde<NodeMetric> nodeMetric() {
        return of(NodeMetric.class);
    }

    public static JsonSerde<NodeUtilization> nodeUtilization() {
        return of(NodeUtilization.class);
    }

    public static JsonSerde<PoolUtilization> poolUtilization() {
        return of(PoolUtilization.class);
    }

    public static JsonSerde<LatencyProbe> latencyProbe() {
        return of(LatencyProbe.class);
    }

    public static JsonSerde<FleetNode> fleetNode() {
        return of(FleetNode.class);
    }

    public static JsonSerde<Interruption> interruption() {
        return of(Interruption.class);
    }

    public static JsonSerde<RoutingWeights> routingWeights() {
        return of(RoutingWeights.class);
    }

    public static JsonSerde<ScaleCommand> scaleCommand() {
        return of(ScaleCommand.class);
    }

    public static JsonSerde<SpendAggregate> spendAggregate() {
        return of(SpendAggregate.class);
    }

    public static JsonSerde<BudgetStatus> budgetStatus() {
        return of(BudgetStatus.class);
    }

    public static JsonSerde<BudgetAlert> budgetAlert() {
        return of(BudgetAlert.class);
    }

    public static JsonSerde<AuditRecord> auditRecord() {
        return of(AuditRecord.class);
    }

    public static JsonSerde<AccessDenial> accessDenial() {
        return of(AccessDenial.class);
    }

    public static JsonSerde<OperatorAction> operatorAction() {
        return of(OperatorAction.class);
    }

    public static JsonSerde<ActionResult> actionResult() {
        return of(ActionResult.class);
    }
}
