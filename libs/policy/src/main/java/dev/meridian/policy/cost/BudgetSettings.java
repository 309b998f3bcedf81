package dev.meridian.policy.cost;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * The budget gate's parameters, in percent of the monthly budget.
 *
 * @param warnAt                       WARN from this percent (80)
 * @param criticalAt                   CRITICAL from this percent (95)
 * @param exceededAt                   EXCEEDED from this percent (100)
 * @param hysteresisPoints             a state is left downwards only at or below its threshold minus this (2)
 * @param alertThresholds              ascending (50, 80, 90, 95, 100), each raised once per scope and month
 * @param minObservation               the forecast counts once this (72 h) and {@code minObservationPercentOfMonth}
 *                                     (10 %) of the month have both passed: the product names both, they agree for a
 *                                     30-day month, and the later one is the safe reading for a 31-day month
 * @param minObservationPercentOfMonth see {@code minObservation}
 * @param zone                         where the budget month begins and ends (UTC)
 */
public record BudgetSettings(int warnAt, int criticalAt, int exceededAt, int hysteresisPoints,
        List<Integer> alertThresholds, Duration minObservation, int minObservationPercentOfMonth, ZoneId zone) {

    public static final BudgetSettings DEFAULTS = new BudgetSettings(80, 95, 100, 2, List.of(50, 80, 90, 95, 100),
            Duration.ofHours(72), 10, ZoneId.of("UTC"));

    public BudgetSettings {
        alertThresholds = List.copyOf(alertThresholds);
        Objects.requireNonNull(minObservation, "minObservation");
        Objects.requireNonNull(zone, "zone");
        if (!(0 < warnAt && warnAt < criticalAt && criticalAt < exceededAt)) {
            throw new IllegalArgumentException("thresholds must rise: 0 < warnAt < criticalAt < exceededAt, were "
                    + warnAt + ", " + criticalAt + ", " + exceededAt);
        }
        if (hysteresisPoints < 0) {
            throw new IllegalArgumentException("hysteresisPoints must not be negative, was " + hysteresisPoints);
        }
        for (int i = 0; i < alertThresholds.size(); i++) {
            if (alertThresholds.get(i) < 1 || (i > 0 && alertThresholds.get(i) <= alertThresholds.get(i - 1))) {
                throw new IllegalArgumentException("alertThresholds must be positive and ascending, were "
                        + alertThresholds);
            }
        }
        if (minObservation.isNegative() || minObservationPercentOfMonth < 0 || minObservationPercentOfMonth > 100) {
            throw new IllegalArgumentException("observation period must be non-negative and at most the month");
        }
    }

    public BudgetSettings withZone(ZoneId other) {
        return new BudgetSettings(warnAt, criticalAt, exceededAt, hysteresisPoints, alertThresholds, minObservation,
                minObservationPercentOfMonth, other);
    }

    /** How long into {@code month} the forecast starts to count. */
    public Duration observationPeriod(BudgetMonth month) {
        Duration share = month.length().multipliedBy(minObservationPercentOfMonth).dividedBy(100);
        return share.compareTo(minObservation) > 0 ? share : minObservation;
    }
}
