package dev.meridian.policy.cost;

import java.math.BigDecimal;
import java.util.Objects;

/** A row of the registry's {@code budgets}: monthly amount of a scope. */
public record Budget(BudgetScope scope, BigDecimal monthlyAmount, String currency) {

    public Budget {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(monthlyAmount, "monthlyAmount");
        Objects.requireNonNull(currency, "currency");
        if (monthlyAmount.signum() <= 0) {
            throw new IllegalArgumentException("monthlyAmount must be positive, was " + monthlyAmount.toPlainString());
        }
    }

    public static Budget of(String scope, String monthlyAmount, String currency) {
        return new Budget(BudgetScope.parse(scope), new BigDecimal(monthlyAmount), currency);
    }
}
