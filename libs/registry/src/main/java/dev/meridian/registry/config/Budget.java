package dev.meridian.registry.config;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A monthly budget.
 *
 * @param scope the key the cost service publishes budget status under: {@code global}, {@code region:<region>}
 *              or {@code <tag key>:<tag value>}
 */
public record Budget(
        String scope,
        BudgetScopeType scopeType,
        Optional<String> region,
        Optional<String> tagKey,
        Optional<String> tagValue,
        BigDecimal monthlyAmount,
        String currency,
        String changedBy,
        Instant changedAt) {

    public Budget {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(scopeType, "scopeType");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(tagKey, "tagKey");
        Objects.requireNonNull(tagValue, "tagValue");
        Objects.requireNonNull(monthlyAmount, "monthlyAmount");
        Objects.requireNonNull(currency, "currency");
    }
}
