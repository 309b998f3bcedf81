package dev.meridian.contracts.scaling;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A scaling decision for one pool. Keyed {@code region/pool}, so one pool's commands stay in order.
 *
 * @param deferredAction     the action the budget gate held back; set if and only if {@code action} is
 *                           {@link ScaleAction#DEFERRED}
 * @param triggerWindowEnd   end of the pool window that completed the trigger condition; null for commands
 *                           not triggered by utilization (interruptions, drain completion)
 * @param currentNodes       READY nodes plus capacity requested and not yet arrived
 * @param delta              {@code desiredNodes - currentNodes}
 * @param purpose            which capacity the node counts are of: {@link ScalePurpose#WARM_POOL} for a warm-pool
 *                           refill, which an actuator without a warm pool skips. Optional on the wire: an absent
 *                           purpose (every record written before the field existed) is {@link ScalePurpose#SERVE},
 *                           see {@link #effectivePurpose()}
 * @param instanceType       the pool's current instance type, when the command concerns one
 * @param targetInstanceType the type to move to; set if and only if the (deferred) action is RESIZE
 * @param capacityType       capacity to request (on-demand fallback for REPLACE shows here)
 * @param urgency            the pool's criticality
 * @param budgetState        the budget state the gate saw
 * @param overBudget         scaled out although the budget is EXCEEDED (CRITICAL pools only)
 * @param nodes              the nodes concerned: drained, removed or replaced; empty for scale-out
 * @param requestedBy        the authenticated operator whose action this command carries out (a manual scale, a
 *                           drain); null for the scaler's own decisions
 */
public record ScaleCommand(
        @JsonProperty(required = true) String commandId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String pool,
        @JsonProperty(required = true) ScaleAction action,
        ScaleAction deferredAction,
        @JsonProperty(required = true) Instant issuedAt,
        Instant triggerWindowEnd,
        @JsonProperty(required = true) int currentNodes,
        @JsonProperty(required = true) int desiredNodes,
        @JsonProperty(required = true) int delta,
        ScalePurpose purpose,
        String instanceType,
        String targetInstanceType,
        @JsonProperty(required = true) CapacityType capacityType,
        @JsonProperty(required = true) Criticality urgency,
        @JsonProperty(required = true) BudgetState budgetState,
        @JsonProperty(required = true) boolean overBudget,
        @JsonProperty(required = true) List<String> nodes,
        @JsonProperty(required = true) String reason,
        String requestedBy) implements Validated {

    /** Actions that act on named nodes and are meaningless without them. */
    private static final Set<ScaleAction> NAMES_NODES = EnumSet.of(ScaleAction.DRAIN, ScaleAction.SCALE_IN,
            ScaleAction.REPLACE);

    public ScaleCommand {
        nodes = nodes == null ? null : List.copyOf(nodes);
    }

    /** A decision of the scaler's own, not an operator's. */
    public ScaleCommand(String commandId, String region, String pool, ScaleAction action, ScaleAction deferredAction,
            Instant issuedAt, Instant triggerWindowEnd, int currentNodes, int desiredNodes, int delta,
            ScalePurpose purpose, String instanceType, String targetInstanceType, CapacityType capacityType,
            Criticality urgency, BudgetState budgetState, boolean overBudget, List<String> nodes, String reason) {
        this(commandId, region, pool, action, deferredAction, issuedAt, triggerWindowEnd, currentNodes, desiredNodes,
                delta, purpose, instanceType, targetInstanceType, capacityType, urgency, budgetState, overBudget, nodes,
                reason, null);
    }

    /** A command that does not state its purpose, like every record written before the field existed: it serves. */
    public ScaleCommand(String commandId, String region, String pool, ScaleAction action, ScaleAction deferredAction,
            Instant issuedAt, Instant triggerWindowEnd, int currentNodes, int desiredNodes, int delta,
            String instanceType, String targetInstanceType, CapacityType capacityType, Criticality urgency,
            BudgetState budgetState, boolean overBudget, List<String> nodes, String reason) {
        this(commandId, region, pool, action, deferredAction, issuedAt, triggerWindowEnd, currentNodes, desiredNodes,
                delta, null, instanceType, targetInstanceType, capacityType, urgency, budgetState, overBudget, nodes,
                reason, null);
    }

    /** The record key on {@code meridian.scaling.commands.v1}. */
    public String key() {
        return region + "/" + pool;
    }

    /** The action that was decided: {@code deferredAction} for a deferred command, else {@code action}. */
    public ScaleAction effectiveAction() {
        return action == ScaleAction.DEFERRED ? deferredAction : action;
    }

    /** {@code purpose}, or {@link ScalePurpose#SERVE} when the record does not state one. */
    public ScalePurpose effectivePurpose() {
        return purpose == null ? ScalePurpose.SERVE : purpose;
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .id("commandId", commandId)
                .id("region", region)
                .id("pool", pool)
                .required("action", action);
        if (action == ScaleAction.DEFERRED) {
            checks.rule(deferredAction != null, "deferredAction", Checks.CONSISTENCY,
                    () -> "deferredAction must be set when action is DEFERRED")
                    .rule(deferredAction != ScaleAction.DEFERRED, "deferredAction", Checks.CONSISTENCY,
                            () -> "deferredAction must not be DEFERRED");
        } else if (action != null) {
            checks.rule(deferredAction == null, "deferredAction", Checks.CONSISTENCY,
                    () -> "deferredAction must be null unless action is DEFERRED, was " + deferredAction);
        }
        checks.required("issuedAt", issuedAt)
                .nonNegative("currentNodes", currentNodes)
                .nonNegative("desiredNodes", desiredNodes)
                .rule((long) desiredNodes - currentNodes == delta, "delta", Checks.CONSISTENCY,
                        () -> "delta must equal desiredNodes - currentNodes (" + ((long) desiredNodes - currentNodes)
                                + "), was " + delta)
                .optionalId("instanceType", instanceType)
                .optionalId("targetInstanceType", targetInstanceType);
        ScaleAction decided = action == null ? null : effectiveAction();
        if (decided == ScaleAction.RESIZE) {
            checks.rule(targetInstanceType != null, "targetInstanceType", Checks.CONSISTENCY,
                    () -> "targetInstanceType must be set for RESIZE");
        } else if (decided != null) {
            checks.rule(targetInstanceType == null, "targetInstanceType", Checks.CONSISTENCY,
                    () -> "targetInstanceType must be null unless the action is RESIZE, was " + targetInstanceType);
        }
        checks.required("capacityType", capacityType)
                .required("urgency", urgency)
                .required("budgetState", budgetState)
                .rule(!overBudget || budgetState == null || budgetState == BudgetState.EXCEEDED, "overBudget",
                        Checks.CONSISTENCY, () -> "overBudget must only be set when budgetState is EXCEEDED, was "
                                + budgetState)
                .ids("nodes", nodes);
        if (nodes != null && NAMES_NODES.contains(decided)) {
            checks.rule(!nodes.isEmpty(), "nodes", Checks.CONSISTENCY, () -> "nodes must name the nodes to " + decided);
        }
        return checks.text("reason", reason, Checks.MAX_TEXT_LENGTH).optionalId("requestedBy", requestedBy).result();
    }
}
