package dev.meridian.policy.cost;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Cuts node time into pieces that each lie in one UTC hour and under one price. */
final class PriceWalk {

    interface Sink {
        /** @param hourlyPrice null where no price holds */
        void accept(Instant hourStart, Instant from, Instant to, BigDecimal hourlyPrice);
    }

    private PriceWalk() {
    }

    static void walk(PriceCatalog catalog, PriceKey key, Instant from, Instant to, Sink sink) {
        Instant at = from;
        while (at.isBefore(to)) {
            Instant hourStart = at.truncatedTo(ChronoUnit.HOURS);
            Instant end = min(to, hourStart.plus(Duration.ofHours(1)));
            Optional<PricePeriod> period = catalog.periodAt(key, at);
            BigDecimal price = null;
            if (period.isPresent()) {
                price = period.get().hourlyPrice();
                if (period.get().effectiveUntil() != null) {
                    end = min(end, period.get().effectiveUntil());
                }
            } else {
                Optional<Instant> next = catalog.nextEffectiveFrom(key, at);
                if (next.isPresent()) {
                    end = min(end, next.get());
                }
            }
            if (!end.isAfter(at)) {
                throw new IllegalStateException("price catalog made no progress for " + key + " at " + at);
            }
            sink.accept(hourStart, at, end, price);
            at = end;
        }
    }

    /** Σ price × nanoseconds over {@code [from, to)}, exact; the part without a price contributes nothing. */
    static BigDecimal priceNanos(PriceCatalog catalog, PriceKey key, Instant from, Instant to) {
        BigDecimal[] sum = {BigDecimal.ZERO};
        walk(catalog, key, from, to, (hour, a, b, price) -> {
            if (price != null) {
                sum[0] = sum[0].add(price.multiply(BigDecimal.valueOf(nanos(a, b))));
            }
        });
        return sum[0];
    }

    /** Nanoseconds of {@code [from, to)} in {@code [from, to)}'s pieces that have a price. */
    static long pricedNanos(PriceCatalog catalog, PriceKey key, Instant from, Instant to) {
        long[] sum = {0};
        walk(catalog, key, from, to, (hour, a, b, price) -> {
            if (price != null) {
                sum[0] += nanos(a, b);
            }
        });
        return sum[0];
    }

    static long nanos(Instant from, Instant to) {
        return Duration.between(from, to).toNanos();
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
