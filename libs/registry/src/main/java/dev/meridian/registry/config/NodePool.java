package dev.meridian.registry.config;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A node pool's desired shape.
 *
 * @param instanceTypes the vertical-scaling ladder, smallest first
 * @param tags          free-form labels such as {@code task} and {@code team}; spend is reported by them
 */
public record NodePool(
        String region,
        String name,
        Tier tier,
        int minSize,
        int maxSize,
        int warmSize,
        List<String> instanceTypes,
        CapacityType capacityType,
        boolean spotFallback,
        Criticality criticality,
        Map<String, String> tags,
        String changedBy,
        Instant changedAt) {

    public NodePool {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(capacityType, "capacityType");
        Objects.requireNonNull(criticality, "criticality");
        instanceTypes = List.copyOf(instanceTypes);
        tags = Map.copyOf(tags);
        if (instanceTypes.isEmpty()) {
            throw new IllegalArgumentException(region + "/" + name + ": the instance-type ladder is empty");
        }
    }

    /** The next rung of the ladder, or empty at the top (or when {@code current} is not on the ladder). */
    public Optional<String> nextInstanceType(String current) {
        int index = instanceTypes.indexOf(current);
        return index < 0 || index == instanceTypes.size() - 1 ? Optional.empty()
                : Optional.of(instanceTypes.get(index + 1));
    }
}
