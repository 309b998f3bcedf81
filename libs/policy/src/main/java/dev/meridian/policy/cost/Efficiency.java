package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.NodeUtilization;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** What money bought nothing (idle cost) and what spot saved, as hourly {@link CostLine}s to roll up by tag. */
public final class Efficiency {

    /** Below this load (percent) a node-window counts as idle. */
    public static final double DEFAULT_IDLE_BELOW = 10.0;

    private Efficiency() {
    }

    /**
     * Cost of node windows whose load stayed below {@code idleBelowPercent}, load being GPU for CORE_GPU and CPU for
     * EDGE_CPU as in routing. A window is idle or not as a whole: its average is all we know of it. Windows are
     * priced like spend (split at hours and price changes; unpriced time counts nowhere). A node's window that
     * appears twice counts once, the one with more samples.
     *
     * @param poolTags the registry tags of a window's pool, as for spend
     */
    public static List<CostLine> idleCost(Collection<NodeUtilization> windows,
            Function<NodeUtilization, Map<String, String>> poolTags, PriceCatalog catalog, double idleBelowPercent) {
        Map<String, NodeUtilization> unique = new TreeMap<>();
        for (NodeUtilization window : windows) {
            unique.merge(window.nodeId() + "/" + window.windowStart(), window,
                    (a, b) -> b.sampleCount() > a.sampleCount() ? b : a);
        }
        record Acc(String region, Instant hourStart, Map<String, String> tags, BigDecimal priceNanos, long nanos) {
        }
        Map<String, Acc> byLine = new TreeMap<>();
        for (NodeUtilization window : unique.values()) {
            double load = window.tier() == Tier.CORE_GPU ? window.gpuAvg() : window.cpuAvg();
            if (load >= idleBelowPercent) {
                continue;
            }
            Map<String, String> tags = CostTags.of(window.pool(), window.tier(), window.capacityType(),
                    poolTags.apply(window));
            PriceKey key = new PriceKey(window.region(), window.instanceType(), window.capacityType());
            PriceWalk.walk(catalog, key, window.windowStart(), window.windowEnd(), (hourStart, a, b, price) -> {
                if (price == null) {
                    return;
                }
                long nanos = PriceWalk.nanos(a, b);
                BigDecimal priceNanos = price.multiply(BigDecimal.valueOf(nanos));
                byLine.merge(SpendAggregate.key(window.region(), hourStart, tags),
                        new Acc(window.region(), hourStart, tags, priceNanos, nanos),
                        (x, y) -> new Acc(x.region(), x.hourStart(), x.tags(), x.priceNanos().add(y.priceNanos()),
                                x.nanos() + y.nanos()));
            });
        }
        List<CostLine> lines = new ArrayList<>();
        for (Acc acc : byLine.values()) {
            lines.add(new CostLine(acc.region(), acc.hourStart(), acc.tags(), catalog.currency(),
                    Money.fromPriceNanos(acc.priceNanos()), acc.nanos() / 1_000_000_000L));
        }
        return lines;
    }

    /** Spot savings of hourly buckets (the ledger's {@link LedgerStep#changed}), spot buckets only. */
    public static List<CostLine> spotSavings(Collection<SpendBucket> buckets) {
        return buckets.stream().filter(SpendBucket::spot)
                .sorted(Comparator.comparing(SpendBucket::id))
                .map(SpendBucket::spotSavingsLine).toList();
    }
}
