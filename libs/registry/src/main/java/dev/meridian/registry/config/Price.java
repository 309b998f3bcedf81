package dev.meridian.registry.config;

import dev.meridian.contracts.fleet.CapacityType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One period of the price catalog: {@code hourlyPrice} per node-hour from {@code effectiveFrom} (inclusive)
 * until {@code effectiveUntil} (exclusive; empty means open-ended).
 */
public record Price(
        String region,
        String instanceType,
        CapacityType capacityType,
        Instant effectiveFrom,
        Optional<Instant> effectiveUntil,
        BigDecimal hourlyPrice,
        String currency,
        String changedBy,
        Instant changedAt) {

    public Price {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(instanceType, "instanceType");
        Objects.requireNonNull(capacityType, "capacityType");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(effectiveUntil, "effectiveUntil");
        Objects.requireNonNull(hourlyPrice, "hourlyPrice");
        Objects.requireNonNull(currency, "currency");
    }

    public boolean appliesAt(Instant instant) {
        return !instant.isBefore(effectiveFrom) && effectiveUntil.map(instant::isBefore).orElse(true);
    }
}
