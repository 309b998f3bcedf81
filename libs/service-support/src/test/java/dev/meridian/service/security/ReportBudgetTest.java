package dev.meridian.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReportBudgetTest {

    private Instant now = Instant.parse("2026-12-06T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aBurstIsReportedThenRefusalsAreHeldBackAndTheirCountRidesOnTheNextReport() {
        ReportBudget budget = new ReportBudget(clock, 2, 3);

        assertThat(budget.take()).isZero();
        assertThat(budget.take()).isZero();
        assertThat(budget.take()).isZero();
        for (int i = 0; i < 7; i++) {
            assertThat(budget.take()).as("refusal %d over the burst", i).isEqualTo(-1);
        }
        now = now.plus(Duration.ofMillis(499));
        assertThat(budget.take()).as("not yet a whole report refilled at 2/s").isEqualTo(-1);
        now = now.plus(Duration.ofMillis(1));
        assertThat(budget.take()).as("the 8 held back ride on this one").isEqualTo(8);
        assertThat(budget.take()).isEqualTo(-1);
    }

    @Test
    void aLongQuietSpellRefillsNoMoreThanTheBurst() {
        ReportBudget budget = new ReportBudget(clock, 100, 2);
        now = now.plus(Duration.ofHours(1));

        assertThat(budget.take()).isZero();
        assertThat(budget.take()).isZero();
        assertThat(budget.take()).isEqualTo(-1);
    }

    @Test
    void aClockSteppingBackDoesNotRefill() {
        ReportBudget budget = new ReportBudget(clock, 1, 1);
        assertThat(budget.take()).isZero();
        now = now.minus(Duration.ofMinutes(5));
        assertThat(budget.take()).isEqualTo(-1);
        now = now.plus(Duration.ofMinutes(5));
        assertThat(budget.take()).as("still no time passed since the last refill").isEqualTo(-1);
        now = now.plusSeconds(1);
        assertThat(budget.take()).isEqualTo(2);
    }

    @Test
    void refusesABudgetThatCouldNeverReport() {
        assertThatThrownBy(() -> new ReportBudget(clock, 0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReportBudget(clock, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
