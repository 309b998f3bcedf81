package dev.meridian.cost.config;

import dev.meridian.cost.streams.CostSettings;
import dev.meridian.policy.cost.BudgetSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;

/** The cost service's settings; {@code application.properties} and the README say the same. */
@ConfigMapping(prefix = "meridian.cost")
public interface CostConfig {

    /** Regions whose nodes this instance prices; every other region's spend arrives mirrored. */
    Set<String> homeRegions();

    /** ce_source of what the service publishes. */
    @WithDefault("/meridian/cost")
    String source();

    /** The catalog currency: prices in another currency are ignored (and counted). */
    @WithDefault("USD")
    String currency();

    /** Every running node is charged up to now this often, and the changed hours are published. */
    @WithDefault("10s")
    Duration tick();

    /** How long after its end an hour still takes a late LEFT; then it is final. */
    @WithDefault("5m")
    Duration lateness();

    /** How often every budget is evaluated (the forecast moves with the clock, spend with every aggregate). */
    @WithDefault("1s")
    Duration evaluateInterval();

    /** Partitions of the internal topic that groups inventory, windows and commands by region. */
    @WithDefault("3")
    int accrualPartitions();

    /** A node window below this load (percent; GPU for CORE_GPU, CPU for EDGE_CPU) is idle. */
    @WithDefault("10")
    double idleBelowPercent();

    /** A node reporting this long after a SCALE_IN named it is charged again (the removal failed). */
    @WithDefault("2m")
    Duration scaleInGrace();

    /** Hourly spend and efficiency lines older than this are pruned from the stores (the API's history). */
    @WithDefault("400d")
    Duration history();

    /** How long the stream threads wait for the registry view before they price anything. */
    @WithDefault("60s")
    Duration registryTimeout();

    Budget budget();

    /** {@link BudgetSettings}: where the month starts, the forecast's observation period, hysteresis. */
    interface Budget {
        @WithDefault("UTC")
        ZoneId zone();

        @WithDefault("72h")
        Duration minObservation();

        @WithDefault("10")
        int minObservationPercentOfMonth();

        @WithDefault("2")
        int hysteresisPoints();

        default BudgetSettings toSettings() {
            BudgetSettings d = BudgetSettings.DEFAULTS;
            return new BudgetSettings(d.warnAt(), d.criticalAt(), d.exceededAt(), hysteresisPoints(),
                    d.alertThresholds(), minObservation(), minObservationPercentOfMonth(), zone());
        }
    }

    default CostSettings toSettings() {
        return new CostSettings(homeRegions(), source(), currency(), tick(), lateness(), evaluateInterval(),
                accrualPartitions(), idleBelowPercent(), scaleInGrace(), history(), registryTimeout(),
                budget().toSettings());
    }
}
