package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.BudgetState;
import java.util.List;
import java.util.Objects;

/**
 * What the gate remembers per scope between evaluations (a store keyed by scope): the state, for hysteresis, and the
 * thresholds already alerted this month, so each alert is raised once.
 *
 * @param month  {@code YYYY-MM}; an evaluation in another month starts afresh
 * @param raised alert thresholds raised in {@code month}, ascending
 */
public record BudgetTrack(String scope, String month, BudgetState state, List<Integer> raised) {

    public BudgetTrack {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(state, "state");
        raised = List.copyOf(raised);
    }

    static BudgetTrack fresh(String scope, String month) {
        return new BudgetTrack(scope, month, BudgetState.OK, List.of());
    }
}
