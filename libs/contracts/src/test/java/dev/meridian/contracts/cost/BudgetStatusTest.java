package dev.meridian.contracts.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.validation.Violation;
import org.junit.jupiter.api.Test;

class BudgetStatusTest {

    private static final BudgetStatus STATUS = (BudgetStatus) ContractSamples.sample(ContractType.BUDGET_STATUS);

    @Test
    void forecastIsOptionalBeforeTheObservationPeriodEnds() {
        assertThat(JsonTrees.with(STATUS, "forecast", "null").violations()).isEmpty();
    }

    @Test
    void rejectsLowerCaseCurrencyAndMalformedMonth() {
        BudgetStatus status = JsonTrees.with(JsonTrees.with(STATUS, "currency", "\"usd\""), "month", "\"2026-1\"");

        assertThat(status.violations()).extracting(Violation::field, Violation::rule).containsExactly(
                tuple("month", "format"),
                tuple("currency", "format"));
    }

    @Test
    void rejectsNonPositiveThreshold() {
        BudgetStatus status = JsonTrees.with(STATUS, "thresholdsCrossed", "[50, 0]");

        assertThat(status.violations()).containsExactly(new Violation("thresholdsCrossed[1]", "range",
                "thresholdsCrossed[1] must be at least 1, was 0"));
    }

    @Test
    void alertIdIsScopeMonthAndThreshold() {
        assertThat(BudgetAlert.idFor("region:us-east", "2026-11", 95)).isEqualTo("region:us-east/2026-11/95");
    }
}
