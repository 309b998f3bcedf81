package dev.meridian.policy.cost;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/** Roll-up step. Days and months are calendar periods in a zone; an hour belongs to the period of its start. */
public enum Granularity {
    HOUR, DAY, MONTH;

    Instant periodStart(Instant hourStart, ZoneId zone) {
        return switch (this) {
            case HOUR -> hourStart;
            case DAY -> LocalDate.ofInstant(hourStart, zone).atStartOfDay(zone).toInstant();
            case MONTH -> YearMonth.from(hourStart.atZone(zone)).atDay(1).atStartOfDay(zone).toInstant();
        };
    }

    /** {@code 2026-11-27T13:00:00Z}, {@code 2026-11-27} or {@code 2026-11}. */
    String label(Instant hourStart, ZoneId zone) {
        return switch (this) {
            case HOUR -> hourStart.toString();
            case DAY -> LocalDate.ofInstant(hourStart, zone).toString();
            case MONTH -> YearMonth.from(hourStart.atZone(zone)).toString();
        };
    }
}
