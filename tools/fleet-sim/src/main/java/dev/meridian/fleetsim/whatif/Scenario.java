package dev.meridian.fleetsim.whatif;

import dev.meridian.fleetsim.model.CapacityTable;
import dev.meridian.fleetsim.model.Delays;
import dev.meridian.fleetsim.model.LatencyTable;
import dev.meridian.fleetsim.traffic.TrafficSource;
import dev.meridian.registry.config.FleetSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything a what-if replay holds fixed while the policy sets vary.
 *
 * @param traffic           client demand per region; its pattern starts at {@code start}
 * @param trafficName       how the report names the traffic (with the trace's attribution when it is one)
 * @param start             the simulated clock's start: decides the budget month, the price period and each region's
 *                          local time of day
 * @param delays            provisioning and reclaim delays of the simulated clouds (no compression: the clock is
 *                          simulated)
 * @param spotRate          spot interruption notices per spot node-hour
 * @param budgetUsedPercent month-to-date spend at {@code start} of a month on track for this percentage of every
 *                          budget (0: nothing spent)
 */
public record Scenario(FleetSnapshot fleet, TrafficSource traffic, String trafficName, Instant start,
        Duration duration, CapacityTable capacity, LatencyTable latency, Delays delays, double spotRate, long seed,
        double budgetUsedPercent) {

    public Scenario {
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(traffic, "traffic");
        Objects.requireNonNull(trafficName, "trafficName");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(delays, "delays");
        if (duration.getSeconds() < 1) {
            throw new IllegalArgumentException("duration must be at least 1 s, was " + duration);
        }
        if (!(budgetUsedPercent >= 0)) {
            throw new IllegalArgumentException("budgetUsedPercent must be >= 0, was " + budgetUsedPercent);
        }
    }
}
