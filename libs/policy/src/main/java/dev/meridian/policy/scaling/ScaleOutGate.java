package dev.meridian.policy.scaling;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.fleet.Criticality;
import java.util.Objects;

/**
 * The budget table for growth (scale-out, warm refill, resize up the ladder):
 * <pre>
 *   OK        all
 *   WARN      CRITICAL, NORMAL   (LOW deferred)
 *   CRITICAL  CRITICAL only
 *   EXCEEDED  CRITICAL only, flagged over budget
 * </pre>
 * Shrinking, draining, activating already-paid warm nodes and replacing an interrupted node are never gated: they
 * add no nodes to the bill.
 */
public final class ScaleOutGate {

    private ScaleOutGate() {
    }

    public static boolean allows(Criticality criticality, BudgetState budget) {
        Objects.requireNonNull(criticality, "criticality");
        return switch (Objects.requireNonNull(budget, "budget")) {
            case OK -> true;
            case WARN -> criticality != Criticality.LOW;
            case CRITICAL, EXCEEDED -> criticality == Criticality.CRITICAL;
        };
    }

    /** An allowed growth command is flagged over budget exactly when the budget is already exceeded. */
    public static boolean overBudget(Criticality criticality, BudgetState budget) {
        return budget == BudgetState.EXCEEDED && allows(criticality, budget);
    }
}
