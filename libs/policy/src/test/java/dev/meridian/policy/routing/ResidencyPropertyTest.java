package dev.meridian.policy.routing;

import static dev.meridian.policy.routing.RoutingFixtures.NOW;
import static dev.meridian.policy.routing.RoutingFixtures.RECENT;
import static dev.meridian.policy.routing.RoutingFixtures.assertValid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.routing.ExclusionReason;
import dev.meridian.contracts.routing.NodeWeight;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.TierTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Residency by construction: over random fleets, zones (some unknown to the build), allow-lists (some naming
 * unregistered regions) and loads, no client ever gets weight outside its zone and its valid allow-list entries.
 */
class ResidencyPropertyTest {

    private static final List<String> ZONES = List.of("US", "EU", "APAC", "MOON");
    private static final Set<String> KNOWN_ZONES = Set.of("US", "EU", "APAC");

    private final WeightsCalculator calculator = new WeightsCalculator(RoutingSettings.DEFAULTS);

    /** Generated fleets; each is reproducible from the seed its failure message names. */
    private static final int CASES = 1_000;

    /**
     * Region {@code i} is in {@code ZONES[zoneIndexes[i]]} (1–8 regions, indexes 0..3, 3 being a zone the build does
     * not know); 0–12 allow-list indexes in 0..8, taken in (client, serving) pairs; per region, cycling, 1–12
     * eligible counts in 0..20, loads in 0..100 and latencies in 0..400 (0: no probe); client and home indexes in
     * 0..8. Indexes wrap around the regions, which include the unregistered "ghost-1".
     */
    private record Fleet(List<Integer> zoneIndexes, List<Integer> allowPairs, List<Integer> eligibleCounts,
            List<Integer> loads, List<Integer> latencies, int clientIndex, int homeIndex) {

        static Fleet generate(SeededGen gen) {
            return new Fleet(gen.integers(1, 8, 0, 3), gen.integers(0, 12, 0, 8), gen.integers(1, 12, 0, 20),
                    gen.integers(1, 12, 0, 100), gen.integers(1, 12, 0, 400), gen.integer(0, 8), gen.integer(0, 8));
        }
    }

    @Test
    void noClientEverGetsWeightOutsideItsAllowedRegions() {
        SeededGen.forEachCase(0x5EED_8E51_DE9CL, CASES, Fleet::generate, this::noClientEverGetsWeightOutsideItsAllowedRegions);
    }

    private void noClientEverGetsWeightOutsideItsAllowedRegions(Fleet fleet) {
        List<Integer> zoneIndexes = fleet.zoneIndexes();
        List<Integer> allowPairs = fleet.allowPairs();
        List<Integer> eligibleCounts = fleet.eligibleCounts();
        List<Integer> loads = fleet.loads();
        List<Integer> latencies = fleet.latencies();
        int clientIndex = fleet.clientIndex();
        int homeIndex = fleet.homeIndex();
        // region i lives in ZONES[zoneIndexes[i]]; "ghost-N" names are in no registry at all
        int registered = zoneIndexes.size();
        List<String> regions = new ArrayList<>();
        Map<String, String> zoneByRegion = new HashMap<>();
        for (int i = 0; i < registered; i++) {
            regions.add("r" + i);
            zoneByRegion.put("r" + i, ZONES.get(zoneIndexes.get(i)));
        }
        regions.add("ghost-1");
        Map<String, Set<String>> allowList = new HashMap<>();
        for (int i = 0; i + 1 < allowPairs.size(); i += 2) {
            allowList.computeIfAbsent(name(allowPairs.get(i), regions), k -> new HashSet<>())
                    .add(name(allowPairs.get(i + 1), regions));
        }
        Residency residency = new Residency(zoneByRegion, KNOWN_ZONES, allowList);
        String client = name(clientIndex, regions);
        String home = name(homeIndex, regions);

        List<PoolUtilization> pools = new ArrayList<>();
        List<NodeUtilization> nodes = new ArrayList<>();
        List<LatencyProbe> probes = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            String region = regions.get(i);
            int eligible = eligibleCounts.get(i % eligibleCounts.size());
            int load = loads.get(i % loads.size());
            pools.add(RoutingFixtures.pool(region, "gpu", Tier.CORE_GPU, eligible, 1, load, load, RECENT));
            pools.add(RoutingFixtures.pool(region, "edge", Tier.EDGE_CPU, eligible, 0, load, 100 - load, RECENT));
            nodes.add(RoutingFixtures.node(region + "-n1", region, Tier.CORE_GPU, load, load, RECENT));
            nodes.add(RoutingFixtures.node(region + "-n2", region, Tier.EDGE_CPU, 0, load / 2.0, RECENT));
            int latency = latencies.get(i % latencies.size());
            if (latency > 0) {
                probes.add(RoutingFixtures.latency(client, region, latency));
            }
        }
        RoutingTargets targets = calculator.compute(new RoutingInputs(client, Set.of(home), residency, pools, nodes,
                List.of(), probes, Set.of(), Set.of()), NOW);

        Set<String> allowed = allowedByHand(client, zoneByRegion, allowList);
        for (TierTable table : targets.tiers()) {
            assertThat(table.regions()).filteredOn(r -> r.weight() > 0).extracting(RegionWeight::region)
                    .allSatisfy(region -> assertThat(allowed).contains(region));
            assertThat(table.nodes()).filteredOn(n -> n.weight() > 0).extracting(NodeWeight::region)
                    .allSatisfy(region -> assertThat(allowed).contains(region));
            if (!table.regions().isEmpty()) {
                assertThat(table.regions().stream().mapToDouble(RegionWeight::weight).sum()).isCloseTo(1, within(1e-9));
            }
        }
        if (allowed.isEmpty()) {
            assertThat(targets.tiers()).allSatisfy(table -> assertThat(table.regions()).isEmpty());
        }
        // and not vacuously: every allowed region with capacity and a latency does get weight
        for (int i = 0; i < regions.size(); i++) {
            String region = regions.get(i);
            boolean capacity = eligibleCounts.get(i % eligibleCounts.size()) > 0;
            boolean measured = latencies.get(i % latencies.size()) > 0;
            if (allowed.contains(region) && capacity && measured) {
                assertThat(RoutingFixtures.gpuTable(targets).regions()).extracting(RegionWeight::region).contains(region);
            }
        }
        if (!zoneByRegion.containsKey(client)) {
            assertThat(targets.excluded()).extracting(e -> e.reason()).containsExactly(ExclusionReason.UNKNOWN_REGION);
        } else if (!KNOWN_ZONES.contains(zoneByRegion.get(client))) {
            assertThat(targets.excluded()).extracting(e -> e.reason()).containsExactly(ExclusionReason.UNKNOWN_ZONE);
        }
        assertValid(targets);
    }

    /** The rule restated independently of {@link Residency}: same known zone, or allow-listed and known. */
    private static Set<String> allowedByHand(String client, Map<String, String> zoneByRegion,
            Map<String, Set<String>> allowList) {
        String clientZone = zoneByRegion.get(client);
        Set<String> allowed = new HashSet<>();
        if (clientZone == null || !KNOWN_ZONES.contains(clientZone)) {
            return allowed;
        }
        zoneByRegion.forEach((region, zone) -> {
            boolean known = KNOWN_ZONES.contains(zone);
            if (known && (zone.equals(clientZone) || allowList.getOrDefault(client, Set.of()).contains(region))) {
                allowed.add(region);
            }
        });
        return allowed;
    }

    private static String name(int index, List<String> regions) {
        return regions.get(index % regions.size());
    }
}
