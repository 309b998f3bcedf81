package dev.meridian.registry.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Per-pool deviations from the policy defaults; an empty value means "use the default". Utilizations are
 * percentages.
 */
public record PolicyOverride(
        String region,
        String pool,
        Optional<BigDecimal> scaleOutUtilization,
        Optional<BigDecimal> scaleInUtilization,
        Optional<BigDecimal> targetUtilization,
        Optional<BigDecimal> memoryResizeUtilization,
        OptionalInt sustainWindows,
        Optional<Duration> stabilization,
        Optional<Duration> cooldown,
        String changedBy,
        Instant changedAt) {

    public PolicyOverride {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(scaleOutUtilization, "scaleOutUtilization");
        Objects.requireNonNull(scaleInUtilization, "scaleInUtilization");
        Objects.requireNonNull(targetUtilization, "targetUtilization");
        Objects.requireNonNull(memoryResizeUtilization, "memoryResizeUtilization");
        Objects.requireNonNull(sustainWindows, "sustainWindows");
        Objects.requireNonNull(stabilization, "stabilization");
        Objects.requireNonNull(cooldown, "cooldown");
    }
}
