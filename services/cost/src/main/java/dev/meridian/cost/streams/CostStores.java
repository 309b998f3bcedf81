package dev.meridian.cost.streams;

/**
 * The topology's internal repartition topic names; its store names are in contracts' {@code StateStores}.
 */
public final class CostStores {

    /** Repartition topics: inputs by region; every spend aggregate to the one budget task. */
    static final String ACCRUAL_INPUT = "cost-accrual-input";
    static final String BUDGET_INPUT = "cost-budget-input";

    private CostStores() {
    }
}
