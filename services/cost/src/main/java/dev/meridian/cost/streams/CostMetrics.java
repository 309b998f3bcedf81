package dev.meridian.cost.streams;

import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.policy.cost.AccrualGap;
import java.time.Duration;

/** What the topology counts; Micrometer in the service, nothing in tests. */
public interface CostMetrics {

    CostMetrics NONE = new CostMetrics() {
    };

    default void inventoryApplied(String state) {
    }

    default void spendPublished(int aggregates) {
    }

    default void gap(AccrualGap gap) {
    }

    default void accrualTick(Duration cpu) {
    }

    default void budgetEvaluation(Duration took) {
    }

    default void statusPublished() {
    }

    default void alertRaised(BudgetAlert alert) {
    }

    default void unusablePrice() {
    }
}
