package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetStatus;
import java.util.List;

/**
 * @param track         to store for the next evaluation
 * @param status        the scope's status now (for the REST view)
 * @param statusChanged publish {@code status} to the compacted budget-status topic: state, month or crossed
 *                      thresholds differ from the previous track (or there was none)
 * @param alerts        new alerts, ascending by threshold
 */
public record BudgetEvaluation(BudgetTrack track, BudgetStatus status, boolean statusChanged,
        List<BudgetAlert> alerts) {

    public BudgetEvaluation {
        alerts = List.copyOf(alerts);
    }
}
