package dev.meridian.fleetsim.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the outside world takes, as the model applies it (already divided by any compression factor).
 *
 * @param warm          ACTIVATE_WARM until the node serves
 * @param cold          SCALE_OUT, REPLACE or RESIZE until the new capacity is there
 * @param reclaimNotice spot interruption notice until the provider takes the node back
 */
public record Delays(Duration warm, Duration cold, Duration reclaimNotice) {

    /** Real clouds: a warm node serves within seconds, a cold start takes about 85 s, spot gives two minutes. */
    public static final Delays REAL_CLOUD = new Delays(Duration.ofSeconds(10), Duration.ofSeconds(85),
            Duration.ofMinutes(2));

    public Delays {
        Objects.requireNonNull(warm, "warm");
        Objects.requireNonNull(cold, "cold");
        Objects.requireNonNull(reclaimNotice, "reclaimNotice");
        if (warm.isNegative() || cold.isNegative() || reclaimNotice.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /**
     * Every delay divided by {@code compression}, to the millisecond: compression speeds the world up, so at 17×
     * a cold start of 85 s takes 5 s.
     */
    public Delays compressed(double compression) {
        if (!(compression >= 1) || Double.isInfinite(compression)) {
            throw new IllegalArgumentException("compression must be at least 1, was " + compression);
        }
        return new Delays(divide(warm, compression), divide(cold, compression), divide(reclaimNotice, compression));
    }

    private static Duration divide(Duration duration, double factor) {
        return Duration.ofMillis(Math.round(duration.toMillis() / factor));
    }
}
