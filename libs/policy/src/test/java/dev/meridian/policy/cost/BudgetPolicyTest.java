package dev.meridian.policy.cost;

import static dev.meridian.policy.cost.CostFixtures.assertAllValid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.contracts.cost.AlertBasis;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetPolicyTest {

    private static final BudgetPolicy POLICY = new BudgetPolicy(BudgetSettings.DEFAULTS);
    private static final Budget GLOBAL = Budget.of("global", "1000.00", "USD");
    private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");

    /** Evaluations of one scope in order, keeping the track as the service's store would. */
    private static final class Run {
        final List<BudgetStatus> published = new ArrayList<>();
        final List<BudgetAlert> alerts = new ArrayList<>();
        BudgetTrack track;
        BudgetEvaluation last;

        BudgetEvaluation at(Instant now, String spent) {
            last = POLICY.evaluate(track, GLOBAL, new BigDecimal(spent), now);
            track = last.track();
            if (last.statusChanged()) {
                published.add(last.status());
            }
            alerts.addAll(last.alerts());
            assertAllValid(List.of(last.status()));
            assertAllValid(last.alerts());
            return last;
        }

        BudgetEvaluation atHour(int hoursIntoNovember, String spent) {
            return at(NOVEMBER.plus(Duration.ofHours(hoursIntoNovember)), spent);
        }
    }

    @Test
    void forecastCountsOnlyAfterTheObservationPeriod() {
        BudgetMonth november = BudgetMonth.of(NOVEMBER, ZoneId.of("UTC"));

        // November is 720 h: max(72 h, 10 % × 720 h = 72 h) = 72 h
        assertThat(POLICY.forecast(new BigDecimal("100"), NOVEMBER.plus(Duration.ofHours(71)), november)).isEmpty();
        // at 72 h: 100 + 100 / 72 h × 648 h = 100 + 900 = 1000
        assertThat(POLICY.forecast(new BigDecimal("100"), NOVEMBER.plus(Duration.ofHours(72)), november)).get()
                .satisfies(f -> assertThat(f).isEqualByComparingTo("1000"));
    }

    @Test
    void theLongerOfTheTwoObservationRulesApplies() {
        Instant december = Instant.parse("2026-12-01T00:00:00Z");
        BudgetMonth dec = BudgetMonth.of(december, ZoneId.of("UTC"));
        // December is 744 h: 10 % = 74.4 h = 74 h 24 min, longer than 72 h
        assertThat(POLICY.forecast(BigDecimal.TEN, december.plus(Duration.ofHours(73)), dec)).isEmpty();
        assertThat(POLICY.forecast(BigDecimal.TEN, december.plus(Duration.ofMinutes(74 * 60 + 24)), dec)).isPresent();

        Instant february = Instant.parse("2026-02-01T00:00:00Z");
        BudgetMonth feb = BudgetMonth.of(february, ZoneId.of("UTC"));
        // February 2026 is 672 h: 10 % = 67.2 h, shorter than 72 h, so 72 h holds
        assertThat(POLICY.forecast(BigDecimal.TEN, february.plus(Duration.ofHours(70)), feb)).isEmpty();
        assertThat(POLICY.forecast(BigDecimal.TEN, february.plus(Duration.ofHours(72)), feb)).isPresent();
    }

    @Test
    void anUncountedForecastDrivesNeitherStateNorAlerts() {
        // at 48 h, 100 spent would forecast 100 × 720 / 48 = 1500 (150 %), but 48 h < 72 h
        BudgetEvaluation early = new Run().atHour(48, "100");

        assertThat(early.status().forecast()).isNull();
        assertThat(early.status().state()).isEqualTo(BudgetState.OK);
        assertThat(early.status().percentOfBudget()).isEqualTo(10.0);
        assertThat(early.alerts()).isEmpty();
    }

    @Test
    void statesFollowTheTableOnActualSpend() {
        Run run = new Run();
        // all before the observation period, so actual spend alone decides; budget 1000
        assertThat(run.atHour(1, "799.99").status().state()).isEqualTo(BudgetState.OK);
        assertThat(run.atHour(2, "800.00").status().state()).isEqualTo(BudgetState.WARN);
        assertThat(run.atHour(3, "949.99").status().state()).isEqualTo(BudgetState.WARN);
        assertThat(run.atHour(4, "950.00").status().state()).isEqualTo(BudgetState.CRITICAL);
        assertThat(run.atHour(5, "1000.00").status().state()).isEqualTo(BudgetState.EXCEEDED);
        assertThat(run.last.status().percentOfBudget()).isEqualTo(100.0);
        // a newly crossed alert threshold republishes too: 949.99 crosses 90 while staying WARN
        assertThat(run.published).extracting(BudgetStatus::state, BudgetStatus::thresholdsCrossed).containsExactly(
                tuple(BudgetState.OK, List.of(50)), tuple(BudgetState.WARN, List.of(50, 80)),
                tuple(BudgetState.WARN, List.of(50, 80, 90)), tuple(BudgetState.CRITICAL, List.of(50, 80, 90, 95)),
                tuple(BudgetState.EXCEEDED, List.of(50, 80, 90, 95, 100)));
    }

    @Test
    void aStateFallsBackOnlyTwoPointsBelowItsThreshold() {
        Run run = new Run();
        run.atHour(1, "960");  // 96 % → CRITICAL
        assertThat(run.atHour(2, "931").status().state()).as("93.1 % > 95 − 2").isEqualTo(BudgetState.CRITICAL);
        assertThat(run.atHour(3, "930").status().state()).as("93 % = 95 − 2: falls").isEqualTo(BudgetState.WARN);
        assertThat(run.atHour(4, "781").status().state()).as("78.1 % > 80 − 2").isEqualTo(BudgetState.WARN);
        assertThat(run.atHour(5, "780").status().state()).as("78 %: falls").isEqualTo(BudgetState.OK);
        assertThat(run.atHour(6, "799").status().state()).as("rising needs the threshold itself").isEqualTo(BudgetState.OK);
    }

    @Test
    void aForecastOscillatingAroundEightyPercentDoesNotFlap() {
        Run run = new Run();
        // forecast = spent × 720 / h: 79 × 10 = 790 (79 %); then 810, 792, 810, 792, 810, 792, 810
        run.atHour(72, "79");
        run.atHour(80, "90");    // 90 × 9 = 810
        run.atHour(90, "99");    // 99 × 8 = 792
        run.atHour(96, "108");   // 108 × 7.5 = 810
        run.atHour(120, "132");  // 132 × 6 = 792
        run.atHour(144, "162");  // 162 × 5 = 810
        run.atHour(180, "198");  // 198 × 4 = 792
        run.atHour(240, "270");  // 270 × 3 = 810

        assertThat(run.published).extracting(BudgetStatus::state).containsExactly(BudgetState.OK, BudgetState.WARN);
        // 50 and 80 crossed by the forecast only (actual stayed below 50 % = 500), each once
        assertThat(run.alerts).extracting(BudgetAlert::thresholdPercent, BudgetAlert::basis).containsExactly(
                tuple(50, AlertBasis.FORECAST), tuple(80, AlertBasis.FORECAST));
        assertThat(run.last.status().forecast()).isEqualByComparingTo("810");

        run.atHour(360, "389");  // 389 × 2 = 778 = 77.8 % ≤ 78: now it falls
        assertThat(run.published).extracting(BudgetStatus::state)
                .containsExactly(BudgetState.OK, BudgetState.WARN, BudgetState.OK);
    }

    @Test
    void eachAlertIsRaisedOncePerScopeThresholdAndMonth() {
        Run run = new Run();
        run.atHour(1, "500");
        run.atHour(2, "500");
        run.atHour(3, "910");   // crosses 80 and 90 at once
        run.atHour(4, "700");   // falling back raises nothing
        run.atHour(5, "950");
        run.atHour(6, "1200");
        run.atHour(7, "1300");

        assertThat(run.alerts).extracting(BudgetAlert::alertId, BudgetAlert::basis, BudgetAlert::state).containsExactly(
                tuple("global/2026-11/50", AlertBasis.ACTUAL, BudgetState.OK),
                tuple("global/2026-11/80", AlertBasis.ACTUAL, BudgetState.WARN),
                tuple("global/2026-11/90", AlertBasis.ACTUAL, BudgetState.WARN),
                tuple("global/2026-11/95", AlertBasis.ACTUAL, BudgetState.CRITICAL),
                tuple("global/2026-11/100", AlertBasis.ACTUAL, BudgetState.EXCEEDED));
        assertThat(run.last.status().thresholdsCrossed()).containsExactly(50, 80, 90, 95, 100);
        assertThat(run.last.status().percentOfBudget()).isEqualTo(130.0);
    }

    @Test
    void aNewMonthStartsWithNoStateAndNoAlerts() {
        Run run = new Run();
        run.atHour(700, "1100");  // EXCEEDED in November, all five alerts
        Instant december = Instant.parse("2026-12-01T00:00:00Z");

        BudgetEvaluation first = run.at(december.plusSeconds(60), "0.5");

        assertThat(first.statusChanged()).isTrue();
        assertThat(first.status().month()).isEqualTo("2026-12");
        assertThat(first.status().state()).as("no hysteresis across months").isEqualTo(BudgetState.OK);
        assertThat(first.status().thresholdsCrossed()).isEmpty();
        BudgetEvaluation half = run.at(december.plus(Duration.ofHours(2)), "500");
        assertThat(half.alerts()).extracting(BudgetAlert::alertId).containsExactly("global/2026-12/50");
    }

    @Test
    void theBudgetMonthFollowsTheConfiguredZone() {
        BudgetPolicy tokyo = new BudgetPolicy(BudgetSettings.DEFAULTS.withZone(ZoneId.of("Asia/Tokyo")));
        // 16:00Z on Nov 30 is 01:00 JST on Dec 1
        BudgetEvaluation evaluation = tokyo.evaluate(null, GLOBAL, BigDecimal.ONE, Instant.parse("2026-11-30T16:00:00Z"));

        assertThat(evaluation.status().month()).isEqualTo("2026-12");
    }

    @Test
    void anUnchangedStatusIsNotRepublished() {
        Run run = new Run();
        run.atHour(1, "100");
        BudgetEvaluation same = run.atHour(2, "200");

        assertThat(same.statusChanged()).isFalse();
        assertThat(same.status().spent()).isEqualByComparingTo("200");
        assertThat(run.published).hasSize(1);
    }
}
