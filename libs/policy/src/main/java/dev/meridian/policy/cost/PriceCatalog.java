package dev.meridian.policy.cost;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Prices by effective time, filled by the cost service from the registry's {@code prices} rows. Accrual asks for
 * the period in force at an instant and walks to its end, so a change applies from its effective time and never
 * to node time before it.
 */
public interface PriceCatalog {

    /** The one currency of every price, and so of every amount accrued from this catalog. */
    String currency();

    /**
     * The period in force at {@code at}, its {@code effectiveUntil} being where the price next changes or ends (null:
     * open-ended); empty when no price holds at {@code at}.
     */
    Optional<PricePeriod> periodAt(PriceKey key, Instant at);

    /** The first effective-from strictly after {@code at}: where an unpriced gap ends; empty if none follows. */
    Optional<Instant> nextEffectiveFrom(PriceKey key, Instant at);

    /** An indexed catalog; see {@link PriceTable#of}. */
    static PriceCatalog of(String currency, Collection<PricePeriod> periods) {
        return PriceTable.of(currency, periods);
    }
}
