package dev.meridian.cost.streams;

import dev.meridian.policy.cost.BudgetSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** What the topology needs of the configuration, as a plain record so tests build it without Quarkus. */
public record CostSettings(Set<String> homeRegions, String source, String currency, Duration tick, Duration lateness,
        Duration evaluateInterval, int accrualPartitions, double idleBelowPercent, Duration scaleInGrace,
        Duration history, Duration registryTimeout, BudgetSettings budget) {

    public CostSettings {
        homeRegions = Set.copyOf(homeRegions);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(budget, "budget");
        if (homeRegions.isEmpty()) {
            throw new IllegalArgumentException("at least one home region is needed");
        }
    }

    /** Defaults as in application.properties, for tests and benchmarks. */
    public static CostSettings defaults(Set<String> homeRegions) {
        return new CostSettings(homeRegions, "/meridian/cost", "USD", Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofSeconds(1), 3, 10.0, Duration.ofMinutes(2), Duration.ofDays(400), Duration.ofSeconds(60),
                BudgetSettings.DEFAULTS);
    }

    /** The ce_subject of budget records: the (first) home region that computed them. */
    public String subjectRegion() {
        return new TreeSet<>(homeRegions).first();
    }
}
