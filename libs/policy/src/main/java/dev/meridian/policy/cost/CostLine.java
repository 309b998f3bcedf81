package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.SpendAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An amount of one region, UTC hour and tag set: spend (from a {@link SpendAggregate}, local or mirrored), idle cost
 * or spot savings. The unit {@link SpendRollup} sums.
 *
 * @param amount may be negative for spot savings (a spot price above on-demand), never for spend
 */
public record CostLine(String region, Instant hourStart, Map<String, String> tags, String currency, BigDecimal amount,
        long nodeSeconds) {

    public CostLine {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(hourStart, "hourStart");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(amount, "amount");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    public static CostLine of(SpendAggregate spend) {
        return new CostLine(spend.region(), spend.hourStart(), spend.tags(), spend.currency(), spend.amount(),
                spend.nodeSeconds());
    }
}
