package dev.meridian.policy.scaling;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One pool's deviations from the base {@link ScalingSettings}, as the registry's {@code config.policy_overrides} row
 * holds them (the same value types, so the scaler and the what-if replay copy the row's fields over one to one); an
 * empty value keeps the base value. Utilizations are percentages. The one place the merge is defined: the scaler
 * decides and the what-if replays with the same per-pool settings.
 */
public record ScalingOverride(
        Optional<BigDecimal> scaleOutUtilization,
        Optional<BigDecimal> scaleInUtilization,
        Optional<BigDecimal> targetUtilization,
        Optional<BigDecimal> memoryResizeUtilization,
        OptionalInt sustainWindows,
        Optional<Duration> stabilization,
        Optional<Duration> cooldown) {

    public ScalingOverride {
        Objects.requireNonNull(scaleOutUtilization, "scaleOutUtilization");
        Objects.requireNonNull(scaleInUtilization, "scaleInUtilization");
        Objects.requireNonNull(targetUtilization, "targetUtilization");
        Objects.requireNonNull(memoryResizeUtilization, "memoryResizeUtilization");
        Objects.requireNonNull(sustainWindows, "sustainWindows");
        Objects.requireNonNull(stabilization, "stabilization");
        Objects.requireNonNull(cooldown, "cooldown");
    }

    /**
     * {@code base} with every present value of this override in place of its own; the rest (max step, drain period,
     * provisioning timeout, combined conditions) is the base's.
     *
     * @throws IllegalArgumentException when the merged thresholds contradict each other (scale-in &lt; target &lt;
     *                                  scale-out must hold), e.g. a target overridden above the base's scale-out
     */
    public ScalingSettings applyTo(ScalingSettings base) {
        Objects.requireNonNull(base, "base");
        // The three thresholds are validated together, so they are replaced together.
        ScalingSettings settings = base.withThresholds(
                percent(scaleOutUtilization, base.scaleOutUtilization()),
                percent(scaleInUtilization, base.scaleInUtilization()),
                percent(targetUtilization, base.targetUtilization()));
        settings = settings.withMemoryResizeUtilization(
                percent(memoryResizeUtilization, base.memoryResizeUtilization()));
        if (sustainWindows.isPresent()) {
            settings = settings.withSustainWindows(sustainWindows.getAsInt());
        }
        return settings.withScaleInTiming(stabilization.orElse(base.stabilization()),
                cooldown.orElse(base.cooldown()));
    }

    private static double percent(Optional<BigDecimal> value, double fallback) {
        return value.map(BigDecimal::doubleValue).orElse(fallback);
    }
}
