package dev.meridian.policy.cost;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tag set spend is grouped by: the pool's registry tags (team, task, …) plus what the node itself says (pool,
 * tier, capacity type), which wins on a clash because it is observed rather than configured. The region is not a
 * tag: it is a field of every aggregate, and {@link #REGION} a group-by key that reads it.
 */
public final class CostTags {

    public static final String REGION = "region";
    public static final String POOL = "pool";
    public static final String TIER = "tier";
    public static final String CAPACITY_TYPE = "capacityType";
    /** Group value of a line that lacks the tag, as OpenCost names it. */
    public static final String UNALLOCATED = "__unallocated__";

    static final int MAX_LENGTH = 128;

    private CostTags() {
    }

    public static SortedMap<String, String> of(String pool, Tier tier, CapacityType capacityType,
            Map<String, String> poolTags) {
        TreeMap<String, String> tags = new TreeMap<>();
        if (poolTags != null) {
            poolTags.forEach((name, value) -> {
                String cleanName = clean(name);
                String cleanValue = clean(value);
                if (!cleanName.isEmpty() && !cleanValue.isEmpty() && !cleanName.equals(REGION)) {
                    tags.put(cleanName, cleanValue);
                }
            });
        }
        tags.put(POOL, clean(pool));
        tags.put(TIER, tier.name());
        tags.put(CAPACITY_TYPE, capacityType.name());
        return Collections.unmodifiableSortedMap(tags);
    }

    /**
     * ',', '=' and '/' delimit a SpendAggregate key, so they become '_' rather than failing a stream over a registry
     * typo; two tag values that differ only there share an aggregate, which is the lesser harm.
     */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String cleaned = text.strip().replace(',', '_').replace('=', '_').replace('/', '_');
        return cleaned.length() <= MAX_LENGTH ? cleaned : cleaned.substring(0, MAX_LENGTH);
    }

    /** The value a group-by key takes for a line of {@code region} with {@code tags}. */
    static String groupValue(String key, String region, Map<String, String> tags) {
        if (REGION.equals(key)) {
            return region;
        }
        return tags.getOrDefault(key, UNALLOCATED);
    }
}
