package dev.meridian.policy.cost;

import dev.meridian.contracts.fleet.CapacityType;
import java.util.Objects;

/** What a price is for: the registry's {@code prices} primary key without the effective time. */
public record PriceKey(String region, String instanceType, CapacityType capacityType) {

    public PriceKey {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(instanceType, "instanceType");
        Objects.requireNonNull(capacityType, "capacityType");
    }

    public PriceKey withCapacity(CapacityType other) {
        return new PriceKey(region, instanceType, other);
    }
}
