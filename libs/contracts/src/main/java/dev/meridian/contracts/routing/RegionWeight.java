package dev.meridian.contracts.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.util.List;

/**
 * A serving region's share of a client region's traffic for one tier.
 *
 * @param weight        relative weight (not normalised); damped between versions
 * @param eligibleNodes eligible nodes of the region's pools in this tier
 * @param load          average load (percent) the weight was computed from
 * @param latencyMs     client → region latency the weight was computed from, after the 1 ms floor
 */
public record RegionWeight(
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) double weight,
        @JsonProperty(required = true) int eligibleNodes,
        @JsonProperty(required = true) double load,
        @JsonProperty(required = true) double latencyMs) implements Validated {

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .id("region", region)
                .nonNegative("weight", weight)
                .nonNegative("eligibleNodes", eligibleNodes)
                .percent("load", load)
                .nonNegative("latencyMs", latencyMs)
                .result();
    }
}
