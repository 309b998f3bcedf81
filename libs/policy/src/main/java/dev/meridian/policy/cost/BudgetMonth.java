package dev.meridian.policy.cost;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

/** The budget month containing an instant, in the budget zone (UTC by default). */
public record BudgetMonth(String label, Instant start, Instant end) {

    public static BudgetMonth of(Instant at, ZoneId zone) {
        YearMonth month = YearMonth.from(at.atZone(zone));
        return new BudgetMonth(month.toString(), month.atDay(1).atStartOfDay(zone).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
    }

    public Duration length() {
        return Duration.between(start, end);
    }
}
