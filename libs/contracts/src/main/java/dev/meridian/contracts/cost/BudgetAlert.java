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
 * A budget threshold crossed: raised once per scope, threshold and month.
 *
 * @param alertId          by convention {@link #idFor}, so a re-run cannot raise the same alert twice
 * @param thresholdPercent the threshold crossed, e.g. 80
 * @param basis            whether actual spend or the forecast crossed it
 * @param state            the budget state after the crossing
 */
public record BudgetAlert(
        @JsonProperty(required = true) String alertId,
        @JsonProperty(required = true) String scope,
        @JsonProperty(required = true) String month,
        @JsonProperty(required = true) int thresholdPercent,
        @JsonProperty(required = true) AlertBasis basis,
        @JsonProperty(required = true) BudgetState state,
        @JsonProperty(required = true) @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal spent,
        @JsonProperty(required = true) @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal budget,
        @JsonProperty(required = true) String currency,
        @JsonProperty(required = true) Instant raisedAt) implements Validated {

    /** The conventional alert id: {@code scope/month/threshold}, e.g. {@code global/2026-11/80}. */
    public static String idFor(String scope, String month, int thresholdPercent) {
        return scope + "/" + month + "/" + thresholdPercent;
    }

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .text("alertId", alertId, Checks.MAX_TEXT_LENGTH)
                .id("scope", scope)
                .month("month", month)
                .atLeast("thresholdPercent", thresholdPercent, 1)
                .required("basis", basis)
                .required("state", state)
                .nonNegative("spent", spent)
                .nonNegative("budget", budget)
                .currency("currency", currency)
                .required("raisedAt", raisedAt)
                .result();
    }
}
