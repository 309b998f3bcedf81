package dev.meridian.registry.config;

/** What a monthly budget covers. */
public enum BudgetScopeType {
    GLOBAL, REGION, TAG
}
