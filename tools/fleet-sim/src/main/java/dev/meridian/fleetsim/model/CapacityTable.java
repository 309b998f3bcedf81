package dev.meridian.fleetsim.model;

import dev.meridian.contracts.fleet.Tier;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Tokens per second per instance type: what turns a node's share of the traffic into its utilization.
 *
 * <p>The defaults cover every type of the registry seed. They are assumptions for simulation, of the right order
 * for a 13B-parameter model with continuous batching, not benchmarks; what matters for the policies is the ratio
 * between the rungs of a ladder and between traffic and capacity. Edge (CPU) nodes are sized in the same unit:
 * every client token passes an edge node (tokenization, routing) and a core node.
 *
 * <pre>
 *   type           tokens/s  GPUs  GPU memory
 *   g5.12xlarge       2,500     4  4 × 24 GiB (A10G)
 *   g5.48xlarge       5,000     8  8 × 24 GiB (A10G)
 *   p4d.24xlarge     12,000     8  8 × 40 GiB (A100)
 *   p5.48xlarge      30,000     8  8 × 80 GiB (H100)
 *   c7i.2xlarge       5,000     –
 *   c7i.4xlarge      10,000     –
 *   c7i.8xlarge      20,000     –
 * </pre>
 * A type not in the table gets its tier's fallback (a g5.48xlarge for CORE_GPU, a c7i.2xlarge for EDGE_CPU).
 */
public final class CapacityTable {

    public static final Map<String, InstanceProfile> SEED_TYPES = Map.of(
            "g5.12xlarge", new InstanceProfile(2_500, 4, 24_576),
            "g5.48xlarge", new InstanceProfile(5_000, 8, 24_576),
            "p4d.24xlarge", new InstanceProfile(12_000, 8, 40_960),
            "p5.48xlarge", new InstanceProfile(30_000, 8, 81_920),
            "c7i.2xlarge", InstanceProfile.cpu(5_000),
            "c7i.4xlarge", InstanceProfile.cpu(10_000),
            "c7i.8xlarge", InstanceProfile.cpu(20_000));

    private static final InstanceProfile GPU_FALLBACK = SEED_TYPES.get("g5.48xlarge");
    private static final InstanceProfile CPU_FALLBACK = SEED_TYPES.get("c7i.2xlarge");

    private final Map<String, InstanceProfile> profiles;

    private CapacityTable(Map<String, InstanceProfile> profiles) {
        this.profiles = Map.copyOf(profiles);
    }

    public static CapacityTable defaults() {
        return new CapacityTable(SEED_TYPES);
    }

    public static CapacityTable of(Map<String, InstanceProfile> profiles) {
        return new CapacityTable(profiles);
    }

    /** The table with {@code tokensPerSecond} replaced (or added, with the tier's fallback GPUs) per type. */
    public CapacityTable withTokensPerSecond(Map<String, Double> overrides, Tier tierOfNewTypes) {
        Map<String, InstanceProfile> next = new HashMap<>(profiles);
        overrides.forEach((type, tokens) -> next.put(type,
                next.getOrDefault(type, fallback(tierOfNewTypes)).withTokensPerSecond(tokens)));
        return new CapacityTable(next);
    }

    public InstanceProfile profile(String instanceType, Tier tier) {
        Objects.requireNonNull(tier, "tier");
        InstanceProfile profile = profiles.get(instanceType);
        return profile != null ? profile : fallback(tier);
    }

    public double tokensPerSecond(String instanceType, Tier tier) {
        return profile(instanceType, tier).tokensPerSecond();
    }

    /** The types and their tokens per second, sorted, for printing. */
    public Map<String, Double> asMap() {
        Map<String, Double> sorted = new TreeMap<>();
        profiles.forEach((type, profile) -> sorted.put(type, profile.tokensPerSecond()));
        return sorted;
    }

    private static InstanceProfile fallback(Tier tier) {
        return tier == Tier.EDGE_CPU ? CPU_FALLBACK : GPU_FALLBACK;
    }
}
