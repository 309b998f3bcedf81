package dev.meridian.policy.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One period and group of a roll-up.
 *
 * @param period {@link Granularity} label, e.g. {@code 2026-11-27}
 * @param group  group-by key → value; {@link CostTags#UNALLOCATED} where a line lacked the tag
 */
public record RollupRow(Instant periodStart, String period, Map<String, String> group, String currency,
        BigDecimal amount, long nodeSeconds) {

    public RollupRow {
        group = Collections.unmodifiableSortedMap(new TreeMap<>(group));
    }
}
