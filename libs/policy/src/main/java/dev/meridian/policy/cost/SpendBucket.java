package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.CapacityType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The exact running sum behind one {@link SpendAggregate}: one region, one UTC hour, one tag set. Amounts stay in
 * price-nanos (see {@link Money}) so that adding and, for a late LEFT, subtracting node time never rounds.
 *
 * @param id               the aggregate's key, {@link SpendAggregate#key}
 * @param priceNanos       Σ hourly price × node nanoseconds
 * @param nodeNanos        node time that had a price
 * @param spotSavingsNanos Σ (on-demand − spot price) × nanoseconds, over spot time whose on-demand price is known
 */
public record SpendBucket(String id, String region, Instant hourStart, Map<String, String> tags, String currency,
        BigDecimal priceNanos, long nodeNanos, BigDecimal spotSavingsNanos) {

    public SpendBucket {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(hourStart, "hourStart");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(priceNanos, "priceNanos");
        Objects.requireNonNull(spotSavingsNanos, "spotSavingsNanos");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    static SpendBucket empty(String region, Instant hourStart, Map<String, String> tags, String currency) {
        return new SpendBucket(SpendAggregate.key(region, hourStart, tags), region, hourStart, tags, currency,
                BigDecimal.ZERO, 0, BigDecimal.ZERO);
    }

    /**
     * Adds (or with negative arguments, takes back) node time. Floored at zero: a take-back is the exact inverse of
     * an earlier add under the same prices, so a negative sum could only come from a catalog edited in between.
     */
    SpendBucket plus(BigDecimal priceNanosDelta, long nodeNanosDelta, BigDecimal savingsDelta) {
        BigDecimal price = priceNanos.add(priceNanosDelta);
        return new SpendBucket(id, region, hourStart, tags, currency, price.signum() < 0 ? BigDecimal.ZERO : price,
                Math.max(0, nodeNanos + nodeNanosDelta), spotSavingsNanos.add(savingsDelta));
    }

    public BigDecimal amount() {
        return Money.fromPriceNanos(priceNanos);
    }

    /** Whole seconds, floored: the contract counts seconds, the ledger nanoseconds. */
    public long nodeSeconds() {
        return nodeNanos / 1_000_000_000L;
    }

    public boolean spot() {
        return CapacityType.SPOT.name().equals(tags.get(CostTags.CAPACITY_TYPE));
    }

    public SpendAggregate toAggregate(Instant computedAt) {
        return new SpendAggregate(id, region, hourStart, tags, amount(), currency, nodeSeconds(), computedAt);
    }

    public CostLine spendLine() {
        return new CostLine(region, hourStart, tags, currency, amount(), nodeSeconds());
    }

    /** What this hour's spot time saved against on-demand; zero for an on-demand bucket. */
    public CostLine spotSavingsLine() {
        return new CostLine(region, hourStart, tags, currency, Money.fromPriceNanos(spotSavingsNanos),
                spot() ? nodeSeconds() : 0);
    }
}
