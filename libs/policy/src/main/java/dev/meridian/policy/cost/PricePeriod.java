package dev.meridian.policy.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the price catalog: {@code hourlyPrice} holds in {@code [effectiveFrom, effectiveUntil)}.
 *
 * @param effectiveUntil exclusive; null while open-ended
 * @param hourlyPrice    per node-hour, exact as the registry stores it (numeric(12,4))
 */
public record PricePeriod(PriceKey key, Instant effectiveFrom, Instant effectiveUntil, BigDecimal hourlyPrice,
        String currency) {

    public PricePeriod {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(hourlyPrice, "hourlyPrice");
        Objects.requireNonNull(currency, "currency");
        if (hourlyPrice.signum() < 0) {
            throw new IllegalArgumentException("hourlyPrice must not be negative, was " + hourlyPrice.toPlainString());
        }
        if (effectiveUntil != null && !effectiveUntil.isAfter(effectiveFrom)) {
            throw new IllegalArgumentException("effectiveUntil (" + effectiveUntil + ") must be after effectiveFrom ("
                    + effectiveFrom + ") for " + key);
        }
    }

    boolean covers(Instant at) {
        return !at.isBefore(effectiveFrom) && (effectiveUntil == null || at.isBefore(effectiveUntil));
    }

    PricePeriod endingAt(Instant end) {
        return new PricePeriod(key, effectiveFrom, end, hourlyPrice, currency);
    }
}
