package dev.meridian.policy.scaling;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands one decision publishes, in publication order. A command that would fail its own validation is a bug
 * in the policy, so it throws here rather than reach the actuator.
 */
final class CommandLog {

    private final PoolConfig pool;
    private final BudgetState budget;
    private final Instant now;
    private final List<ScaleCommand> commands = new ArrayList<>();

    CommandLog(PoolConfig pool, BudgetState budget, Instant now) {
        this.pool = pool;
        this.budget = budget;
        this.now = now;
    }

    /** The deterministic id of this pool's {@code action} for {@code qualifier} (see {@link CommandIds}). */
    String id(ScaleAction action, String qualifier) {
        return CommandIds.of(pool.region(), pool.pool(), action, qualifier);
    }

    /** A command the budget gate never holds back: no deferred action, no resize target, never over budget. */
    String emit(ScaleAction action, String id, Instant trigger, int current, int desired, ScalePurpose purpose,
            String type, CapacityType capacity, List<String> nodes, String reason) {
        return emit(action, null, id, trigger, current, desired, purpose, type, null, capacity, false, nodes, reason);
    }

    /** Returns the command's id. A reason longer than a command may carry is cut, marked with an ellipsis. */
    String emit(ScaleAction action, ScaleAction deferredAction, String id, Instant trigger, int current, int desired,
            ScalePurpose purpose, String type, String target, CapacityType capacity, boolean overBudget,
            List<String> nodes, String reason) {
        return emit(null, action, deferredAction, id, trigger, current, desired, purpose, type, target, capacity,
                overBudget, nodes, reason);
    }

    /**
     * A command triggered by no window, stamped {@code requestedBy} the operator whose action it carries out (null:
     * the scaler's own, e.g. the SCALE_IN after a scale-in's drain). Never deferred, never a resize.
     */
    String emitFor(String requestedBy, ScaleAction action, String id, int current, int desired, ScalePurpose purpose,
            String type, CapacityType capacity, boolean overBudget, List<String> nodes, String reason) {
        return emit(requestedBy, action, null, id, null, current, desired, purpose, type, null, capacity, overBudget,
                nodes, reason);
    }

    private String emit(String requestedBy, ScaleAction action, ScaleAction deferredAction, String id,
            Instant trigger, int current, int desired, ScalePurpose purpose, String type, String target,
            CapacityType capacity, boolean overBudget, List<String> nodes, String reason) {
        String text = reason.length() <= Checks.MAX_TEXT_LENGTH ? reason
                : reason.substring(0, Checks.MAX_TEXT_LENGTH - 1) + "…";
        ScaleCommand command = new ScaleCommand(id, pool.region(), pool.pool(), action, deferredAction, now, trigger,
                current, desired, desired - current, purpose, type, target, capacity, pool.criticality(), budget,
                overBudget, nodes, text, requestedBy);
        List<Violation> violations = command.violations();
        if (!violations.isEmpty()) {
            throw new IllegalStateException("scaling policy built an invalid command: " + violations);
        }
        commands.add(command);
        return id;
    }

    List<ScaleCommand> commands() {
        return List.copyOf(commands);
    }
}
