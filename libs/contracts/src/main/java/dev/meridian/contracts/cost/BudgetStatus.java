package dev.meridian.contracts.cost;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Where a budget scope stands this month; the latest record per scope (compacted) is what the budget
 * gate reads. Money is serialized as JSON strings so it stays exact in every language.
 *
 * @param scope             budget scope, e.g. {@code global}, {@code region:us-east}, {@code team:search}
 * @param month             {@code YYYY-MM}
 * @param forecast          month-end forecast; null until the minimum observation period has passed
 * @param percentOfBudget   the larger of actual and forecast, in percent of budget (may exceed 100)
 * @param thresholdsCrossed alert thresholds (percent) crossed so far this month, ascending
 */
public record BudgetStatus(
        @JsonProperty(required = true) String scope,
        @JsonProperty(required = true) String month,
        @JsonProperty(required = true) @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal budget,
        @JsonProperty(required = true) @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal spent,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal forecast,
        @JsonProperty(required = true) String currency,
        @JsonProperty(required = true) BudgetState state,
        @JsonProperty(required = true) double percentOfBudget,
        @JsonProperty(required = true) List<Integer> thresholdsCrossed,
        @JsonProperty(required = true) Instant updatedAt) implements Validated {

    public BudgetStatus {
        thresholdsCrossed = thresholdsCrossed == null ? null : List.copyOf(thresholdsCrossed);
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .id("scope", scope)
                .month("month", month)
                .nonNegative("budget", budget)
                .nonNegative("spent", spent)
                .optionalNonNegative("forecast", forecast)
                .currency("currency", currency)
                .required("state", state)
                .nonNegative("percentOfBudget", percentOfBudget)
                .required("thresholdsCrossed", thresholdsCrossed);
        if (thresholdsCrossed != null) {
            for (int i = 0; i < thresholdsCrossed.size(); i++) {
                checks.atLeast("thresholdsCrossed[" + i + "]", thresholdsCrossed.get(i), 1);
            }
        }
        return checks.required("updatedAt", updatedAt).result();
    }
}
