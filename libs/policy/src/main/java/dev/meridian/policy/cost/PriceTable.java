package dev.meridian.policy.cost;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The default {@link PriceCatalog}: per key, periods ordered by effective-from. Where two periods of a key overlap
 * (the registry's exclusion constraint forbids it, a hand-built catalog might not), the later effective-from wins
 * from its start: that is the reading of "a price change applies from its effective time".
 */
public final class PriceTable implements PriceCatalog {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final String currency;
    private final Map<PriceKey, NavigableMap<Instant, PricePeriod>> byKey;

    private PriceTable(String currency, Map<PriceKey, NavigableMap<Instant, PricePeriod>> byKey) {
        this.currency = currency;
        this.byKey = byKey;
    }

    /**
     * @throws IllegalArgumentException on a period in another currency (amounts of one bucket must add up) or two
     *                                  periods of one key starting at the same instant (which one holds is unknowable)
     */
    public static PriceTable of(String currency, Collection<PricePeriod> periods) {
        Objects.requireNonNull(currency, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code, was " + currency);
        }
        Map<PriceKey, NavigableMap<Instant, PricePeriod>> byKey = new HashMap<>();
        for (PricePeriod period : periods) {
            if (!period.currency().equals(currency)) {
                throw new IllegalArgumentException("price of " + period.key() + " from " + period.effectiveFrom()
                        + " is in " + period.currency() + ", the catalog in " + currency);
            }
            PricePeriod previous = byKey.computeIfAbsent(period.key(), k -> new TreeMap<>())
                    .put(period.effectiveFrom(), period);
            if (previous != null) {
                throw new IllegalArgumentException("two prices of " + period.key() + " start at " + period.effectiveFrom());
            }
        }
        return new PriceTable(currency, byKey);
    }

    @Override
    public String currency() {
        return currency;
    }

    @Override
    public Optional<PricePeriod> periodAt(PriceKey key, Instant at) {
        NavigableMap<Instant, PricePeriod> periods = byKey.get(key);
        if (periods == null) {
            return Optional.empty();
        }
        Map.Entry<Instant, PricePeriod> floor = periods.floorEntry(at);
        if (floor == null) {
            return Optional.empty();
        }
        PricePeriod period = floor.getValue();
        Instant next = periods.higherKey(period.effectiveFrom());
        if (next != null && (period.effectiveUntil() == null || next.isBefore(period.effectiveUntil()))) {
            period = period.endingAt(next);
        }
        return period.covers(at) ? Optional.of(period) : Optional.empty();
    }

    @Override
    public Optional<Instant> nextEffectiveFrom(PriceKey key, Instant at) {
        NavigableMap<Instant, PricePeriod> periods = byKey.get(key);
        return periods == null ? Optional.empty() : Optional.ofNullable(periods.higherKey(at));
    }
}
