package dev.meridian.contracts.cost;

/**
 * Budget gate state by percent of budget (actual or forecast): OK below 80, WARN from 80, CRITICAL from
 * 95, EXCEEDED from 100. Declared in order of severity, so {@code compareTo} ranks them.
 */
public enum BudgetState {
    OK, WARN, CRITICAL, EXCEEDED
}
