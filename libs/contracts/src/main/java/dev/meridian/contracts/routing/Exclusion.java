package dev.meridian.contracts.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.util.List;

/**
 * A region or node removed from routing at once, bypassing damping.
 *
 * @param target region name or node id, depending on {@code scope}
 * @param tier   the tier table it is excluded from; null when it is excluded from every tier
 * @param detail human-readable specifics (e.g. which latency is missing)
 */
public record Exclusion(
        @JsonProperty(required = true) ExclusionScope scope,
        @JsonProperty(required = true) String target,
        Tier tier,
        @JsonProperty(required = true) ExclusionReason reason,
        @JsonProperty(required = true) String detail) implements Validated {

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .required("scope", scope)
                .id("target", target)
                .required("reason", reason)
                .text("detail", detail, Checks.MAX_TEXT_LENGTH)
                .result();
    }
}
