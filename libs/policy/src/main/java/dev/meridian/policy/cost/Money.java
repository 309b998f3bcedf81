package dev.meridian.policy.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rounding policy of cost. Accrual is exact: a bucket keeps Σ hourly price × nanoseconds ("price-nanos"), a
 * product of the catalog's decimals and whole nanoseconds. Dividing by 3.6·10¹² nanoseconds per hour is where a
 * decimal can stop terminating (1 s at 1 $/h is 0.000277…), so every amount handed out is rounded there, once, to
 * {@link #SCALE} places {@link #ROUNDING}. Sums of amounts (roll-ups, month to date) are then exact additions.
 *
 * <p>Nine places rather than cents: rounding each of a month's ~744 hourly aggregates per tag set to a cent could
 * drift a budget by dollars; at 10⁻⁹ the drift stays below a cent for a million aggregates.
 */
public final class Money {

    /** Decimal places of every amount this package hands out. */
    public static final int SCALE = 9;
    /** Banker's rounding: unbiased over many aggregates. */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    static final BigDecimal NANOS_PER_HOUR = BigDecimal.valueOf(3_600_000_000_000L);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Money() {
    }

    /** Price-nanos as money: the rounding point described above. */
    public static BigDecimal fromPriceNanos(BigDecimal priceNanos) {
        return priceNanos.divide(NANOS_PER_HOUR, SCALE, ROUNDING);
    }

    /** Display-only percent (the contract's double); decisions compare {@code BigDecimal}s, never this. */
    static double percent(BigDecimal value, BigDecimal of) {
        return value.multiply(HUNDRED).divide(of, 4, ROUNDING).doubleValue();
    }
}
