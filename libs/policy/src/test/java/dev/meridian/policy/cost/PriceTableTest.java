package dev.meridian.policy.cost;

import static dev.meridian.policy.cost.CostFixtures.CATALOG;
import static dev.meridian.policy.cost.CostFixtures.GPU;
import static dev.meridian.policy.cost.CostFixtures.PRICE_CHANGE;
import static dev.meridian.policy.cost.CostFixtures.YEAR_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.fleet.CapacityType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static final PriceKey OD = new PriceKey("us-east", GPU, CapacityType.ON_DEMAND);

    @Test
    void aPriceHoldsFromItsEffectiveTimeNotBefore() {
        assertThat(CATALOG.periodAt(OD, PRICE_CHANGE.minusNanos(1))).get()
                .satisfies(p -> {
                    assertThat(p.hourlyPrice()).isEqualByComparingTo("1.0060");
                    assertThat(p.effectiveUntil()).isEqualTo(PRICE_CHANGE);
                });
        assertThat(CATALOG.periodAt(OD, PRICE_CHANGE)).get()
                .satisfies(p -> assertThat(p.hourlyPrice()).isEqualByComparingTo("1.2000"));
        assertThat(CATALOG.periodAt(OD, YEAR_START.minusSeconds(1))).isEmpty();
        assertThat(CATALOG.nextEffectiveFrom(OD, YEAR_START.minusSeconds(1))).contains(YEAR_START);
    }

    @Test
    void anOpenEndedPeriodEndsWhereTheNextOneStarts() {
        Instant change = Instant.parse("2026-06-01T00:00:00Z");
        PriceCatalog catalog = PriceCatalog.of("USD", List.of(
                new PricePeriod(OD, YEAR_START, null, new BigDecimal("1.0000"), "USD"),
                new PricePeriod(OD, change, null, new BigDecimal("2.0000"), "USD")));

        assertThat(catalog.periodAt(OD, change.minusSeconds(1))).get()
                .satisfies(p -> assertThat(p.effectiveUntil()).isEqualTo(change));
        assertThat(catalog.periodAt(OD, change)).get()
                .satisfies(p -> assertThat(p.hourlyPrice()).isEqualByComparingTo("2"));
    }

    @Test
    void aClosedPeriodLeavesAGapUntilTheNextPrice() {
        Instant end = Instant.parse("2026-03-01T00:00:00Z");
        Instant next = Instant.parse("2026-04-01T00:00:00Z");
        PriceCatalog catalog = PriceCatalog.of("USD", List.of(
                new PricePeriod(OD, YEAR_START, end, new BigDecimal("1.0000"), "USD"),
                new PricePeriod(OD, next, null, new BigDecimal("2.0000"), "USD")));

        assertThat(catalog.periodAt(OD, end)).isEmpty();
        assertThat(catalog.nextEffectiveFrom(OD, end)).contains(next);
    }

    @Test
    void rejectsAPriceInAnotherCurrencyAndTwoPricesStartingTogether() {
        assertThatThrownBy(() -> PriceCatalog.of("USD", List.of(
                new PricePeriod(OD, YEAR_START, null, BigDecimal.ONE, "EUR"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EUR");
        assertThatThrownBy(() -> PriceCatalog.of("USD", List.of(
                new PricePeriod(OD, YEAR_START, null, BigDecimal.ONE, "USD"),
                new PricePeriod(OD, YEAR_START, null, BigDecimal.TEN, "USD"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start at");
    }
}
