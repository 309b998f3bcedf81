package dev.meridian.contracts.operator;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.util.List;

/**
 * The settings an {@code OVERRIDE} action puts over a pool's own until it expires; a null keeps the pool's value.
 * Utilizations are percentages; scale-in &lt; target &lt; scale-out must hold once merged, and min &le; max.
 */
public record ActionOverride(
        Double scaleOutUtilization,
        Double scaleInUtilization,
        Double targetUtilization,
        Integer sustainWindows,
        Integer minNodes,
        Integer maxNodes) implements Validated {

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .optionalPercent("scaleOutUtilization", scaleOutUtilization)
                .optionalPercent("scaleInUtilization", scaleInUtilization)
                .optionalPercent("targetUtilization", targetUtilization)
                .rule(sustainWindows == null || sustainWindows >= 1, "sustainWindows", Checks.RANGE,
                        () -> "sustainWindows must be at least 1, was " + sustainWindows)
                .rule(minNodes == null || minNodes >= 0, "minNodes", Checks.NEGATIVE,
                        () -> "minNodes must not be negative, was " + minNodes)
                .rule(maxNodes == null || maxNodes >= 1, "maxNodes", Checks.RANGE,
                        () -> "maxNodes must be at least 1, was " + maxNodes)
                .rule(minNodes == null || maxNodes == null || minNodes <= maxNodes, "minNodes", Checks.ORDER,
                        () -> "minNodes " + minNodes + " must not exceed maxNodes " + maxNodes)
                .rule(!isEmpty(), "override", Checks.REQUIRED, () -> "an override must change at least one setting");
        return checks.result();
    }

    /** True when it changes nothing. */
    @JsonIgnore
    public boolean isEmpty() {
        return scaleOutUtilization == null && scaleInUtilization == null && targetUtilization == null
                && sustainWindows == null && minNodes == null && maxNodes == null;
    }
}
