package dev.meridian.policy.routing;

import dev.meridian.contracts.routing.ExclusionReason;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which regions may serve which client region: the regions of the client's residency zone plus the client's
 * allow-list entries. The scheduler builds it from the registry's FleetConfig; this package does not depend on the
 * registry, so the zone is kept as the raw code the registry stores.
 *
 * <p>Everything fails closed. A client region that is not in {@code zoneByRegion}, or whose zone is not in
 * {@code knownZones}, is served by nobody; a serving region that is unknown, or in an unknown zone, serves nobody,
 * even when an allow-list entry names it.
 *
 * @param zoneByRegion every region of the registry with its zone code
 * @param knownZones   the zone codes this build understands (e.g. {@code US, EU, APAC})
 * @param allowList    client region → extra serving regions outside its zone
 */
public record Residency(Map<String, String> zoneByRegion, Set<String> knownZones, Map<String, Set<String>> allowList) {

    /** Why a region may not take part; the reason is one of UNKNOWN_REGION, UNKNOWN_ZONE or OUTSIDE_RESIDENCY. */
    public record Refusal(ExclusionReason reason, String detail) {

        public Refusal {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    public Residency {
        zoneByRegion = Map.copyOf(zoneByRegion);
        knownZones = Set.copyOf(knownZones);
        allowList = allowList.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue())));
    }

    /** Empty when {@code clientRegion} is known and in a known zone; otherwise why it is served by nobody. */
    public Optional<Refusal> refuseClient(String clientRegion) {
        return unknown(clientRegion, "client region");
    }

    /** Empty when {@code servingRegion} may serve {@code clientRegion}; otherwise why not. */
    public Optional<Refusal> refuseServing(String clientRegion, String servingRegion) {
        Optional<Refusal> client = refuseClient(clientRegion);
        if (client.isPresent()) {
            return client;
        }
        Optional<Refusal> serving = unknown(servingRegion, "serving region");
        if (serving.isPresent()) {
            return serving;
        }
        String clientZone = zoneByRegion.get(clientRegion);
        String servingZone = zoneByRegion.get(servingRegion);
        if (clientZone.equals(servingZone) || allowList.getOrDefault(clientRegion, Set.of()).contains(servingRegion)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(ExclusionReason.OUTSIDE_RESIDENCY, servingRegion + " is in zone " + servingZone
                + ", " + clientRegion + " in zone " + clientZone + ", and no allow-list entry names it"));
    }

    /** The regions that may serve {@code clientRegion}, sorted; empty for an unknown client region or zone. */
    public SortedSet<String> servingRegions(String clientRegion) {
        SortedSet<String> regions = new TreeSet<>();
        if (refuseClient(clientRegion).isPresent()) {
            return regions;
        }
        for (String region : zoneByRegion.keySet()) {
            if (refuseServing(clientRegion, region).isEmpty()) {
                regions.add(region);
            }
        }
        return regions;
    }

    private Optional<Refusal> unknown(String region, String role) {
        String zone = zoneByRegion.get(region);
        if (zone == null) {
            return Optional.of(new Refusal(ExclusionReason.UNKNOWN_REGION,
                    role + " " + region + " is not in the registry: fail closed"));
        }
        if (!knownZones.contains(zone)) {
            return Optional.of(new Refusal(ExclusionReason.UNKNOWN_ZONE,
                    role + " " + region + " is in zone " + zone + ", which this build does not know: fail closed"));
        }
        return Optional.empty();
    }
}
