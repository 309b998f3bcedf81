package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.SpendAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sums hourly lines, local and mirrored alike, into days or months by any combination of tags. */
public final class SpendRollup {

    private SpendRollup() {
    }

    /**
     * One line per aggregate id: {@code cost.spend} carries every update of an open hour, and only the newest counts.
     * Newest is the latest {@code computedAt}; on a tie the larger node time, then amount, so input order never
     * decides.
     */
    public static List<CostLine> latest(Collection<SpendAggregate> aggregates) {
        Comparator<SpendAggregate> newer = Comparator.comparing(SpendAggregate::computedAt)
                .thenComparingLong(SpendAggregate::nodeSeconds)
                .thenComparing(SpendAggregate::amount);
        Map<String, SpendAggregate> byId = new TreeMap<>();
        for (SpendAggregate aggregate : aggregates) {
            byId.merge(aggregate.id(), aggregate, (a, b) -> newer.compare(a, b) >= 0 ? a : b);
        }
        return byId.values().stream().map(CostLine::of).toList();
    }

    /**
     * @param groupBy {@link CostTags#REGION} or any tag name; empty sums everything per period. Lines in different
     *                currencies never share a row.
     * @return rows ordered by period, then group, then currency
     */
    public static List<RollupRow> rollup(Collection<CostLine> lines, Granularity granularity, ZoneId zone,
            List<String> groupBy) {
        record Key(Instant periodStart, String period, Map<String, String> group, String currency) {
        }
        Map<Key, BigDecimal> amounts = new HashMap<>();
        Map<Key, Long> seconds = new HashMap<>();
        for (CostLine line : lines) {
            Map<String, String> group = new TreeMap<>();
            for (String key : groupBy) {
                group.put(key, CostTags.groupValue(key, line.region(), line.tags()));
            }
            Key key = new Key(granularity.periodStart(line.hourStart(), zone), granularity.label(line.hourStart(), zone),
                    group, line.currency());
            amounts.merge(key, line.amount(), BigDecimal::add);
            seconds.merge(key, line.nodeSeconds(), Long::sum);
        }
        List<RollupRow> rows = new ArrayList<>();
        amounts.forEach((key, amount) -> rows.add(new RollupRow(key.periodStart(), key.period(), key.group(),
                key.currency(), amount, seconds.get(key))));
        rows.sort(Comparator.comparing(RollupRow::periodStart)
                .thenComparing(row -> row.group().toString())
                .thenComparing(RollupRow::currency));
        return rows;
    }

    /** Spend of {@code scope} in {@code [from, to)} by hour start, counting lines in {@code currency} only. */
    public static BigDecimal total(Collection<CostLine> lines, BudgetScope scope, Instant from, Instant to,
            String currency) {
        BigDecimal total = BigDecimal.ZERO;
        for (CostLine line : lines) {
            if (scope.matches(line) && line.currency().equals(currency) && !line.hourStart().isBefore(from)
                    && line.hourStart().isBefore(to)) {
                total = total.add(line.amount());
            }
        }
        return total;
    }
}
