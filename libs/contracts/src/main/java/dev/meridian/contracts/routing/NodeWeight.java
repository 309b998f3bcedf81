package dev.meridian.contracts.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.util.List;

/**
 * A node's share of traffic inside the scheduler's home region (node weights never cross regions).
 *
 * @param load the node's load (percent) the weight was computed from
 */
public record NodeWeight(
        @JsonProperty(required = true) String nodeId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String pool,
        @JsonProperty(required = true) double weight,
        @JsonProperty(required = true) double load) implements Validated {

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .id("nodeId", nodeId)
                .id("region", region)
                .id("pool", pool)
                .nonNegative("weight", weight)
                .percent("load", load)
                .result();
    }
}
