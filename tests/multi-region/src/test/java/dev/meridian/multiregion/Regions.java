package dev.meridian.multiregion;

import dev.meridian.contracts.fleet.Tier;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The fleet these tests run: three regions in two residency zones, two pools of two nodes each per region, steady
 * loads and a fixed latency matrix, so that every expected weight can be computed by hand from the routing formula.
 */
final class Regions {

    static final String US_EAST = "us-east";
    static final String EU_WEST = "eu-west";
    static final String EU_CENTRAL = "eu-central";
    static final List<String> ALL = List.of(US_EAST, EU_WEST, EU_CENTRAL);
    static final List<String> EU = List.of(EU_WEST, EU_CENTRAL);
    static final Map<String, String> ZONE = Map.of(US_EAST, "US", EU_WEST, "EU", EU_CENTRAL, "EU");

    /** Where the registry is captured; the other regions read its mirrored topics. */
    static final String REGISTRY_REGION = US_EAST;

    /** A pool of every region: name, tier, node count. */
    record Pool(String name, Tier tier, int nodes) {
    }

    static final List<Pool> POOLS = List.of(new Pool("gpu-core", Tier.CORE_GPU, 2), new Pool("cpu-edge", Tier.EDGE_CPU, 2));

    /** Steady load of every node of a region, in percent (GPU for CORE_GPU, CPU for EDGE_CPU alike). */
    static final Map<String, Double> LOAD = Map.of(US_EAST, 50.0, EU_WEST, 40.0, EU_CENTRAL, 60.0);

    /** Short windows so that staleness, loss and return play out in seconds (the service defaults are 10 s / 5 s). */
    static final Duration WINDOW = Duration.ofSeconds(2);
    /** 2 s, not 1: on two busy cores a sample may reach the topology a second late and must still count. */
    static final Duration GRACE = Duration.ofSeconds(2);

    /**
     * A remote region whose newest pool aggregate ended this long ago is stale. A window arrives about grace + 0.5 s
     * after its end and the next one a window later, so a healthy region's newest aggregate is at most ~4.5 s old:
     * 8 s leaves room for a 2-core machine's hiccups without flapping.
     */
    static final Duration STALENESS_TIMEOUT = Duration.ofSeconds(8);

    private Regions() {
    }

    /** Node ids carry a token no other record contains, so a scan of raw bytes finds every copy of them. */
    static String nodeId(String region, Pool pool, int index) {
        return nodeToken(region) + pool.name() + "-" + index;
    }

    /** What every node id of {@code region} starts with (and nothing else on the wire contains). */
    static String nodeToken(String region) {
        return "nd-" + region + "-";
    }

    /** Round-trip time in ms measured from {@code from} to {@code to}. */
    static double rttMs(String from, String to) {
        if (from.equals(to)) {
            return 2;
        }
        return ZONE.get(from).equals(ZONE.get(to)) ? 20 : 80;
    }

    /**
     * The routing formula (libs/policy WeightsCalculator, written out again here): a region's share of client
     * {@code client}'s traffic for one tier is {@code x(r) = eligible / (rtt(client, r) · (1 + load/100))},
     * normalised over the regions that may serve the client and are fresh.
     */
    static double expectedWeight(String client, String region, List<String> freshServingRegions) {
        double sum = 0;
        for (String r : freshServingRegions) {
            sum += x(client, r);
        }
        return x(client, region) / sum;
    }

    private static double x(String client, String region) {
        int eligible = 2;
        return eligible / (rttMs(client, region) * (1 + LOAD.get(region) / 100));
    }
}
