package dev.meridian.registry.config;

import dev.meridian.contracts.fleet.CapacityType;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An immutable, consistent view of the registry at one point of the change streams; read several lookups from
 * one snapshot when they must agree with each other.
 *
 * <p>Every lookup fails closed: a region that is unknown, or whose zone this build does not know, serves
 * nobody and has no pools, prices or overrides here, whatever other tables say about it.
 */
public final class FleetSnapshot {

    public static final FleetSnapshot EMPTY = of(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    private final Map<String, Region> regions;
    private final List<AllowListEntry> allowList;
    /** Pools of known regions, sorted by region and name; computed once, as the snapshot never changes. */
    private final List<NodePool> pools;
    private final Map<String, NodePool> poolsByKey;
    private final List<Price> prices;
    private final Map<String, Budget> budgets;
    private final List<PolicyOverride> overrides;

    private FleetSnapshot(Collection<Region> regions, Collection<AllowListEntry> allowList, Collection<NodePool> pools,
            Collection<Price> prices, Collection<Budget> budgets, Collection<PolicyOverride> overrides) {
        this.regions = index(regions, Region::name);
        this.allowList = List.copyOf(allowList);
        this.pools = pools.stream().filter(pool -> isKnownRegion(pool.region()))
                .sorted(Comparator.comparing(NodePool::region).thenComparing(NodePool::name))
                .toList();
        this.poolsByKey = index(this.pools, pool -> pool.region() + "/" + pool.name());
        this.prices = List.copyOf(prices);
        this.budgets = index(budgets, Budget::scope);
        this.overrides = List.copyOf(overrides);
    }

    public static FleetSnapshot of(Collection<Region> regions, Collection<AllowListEntry> allowList,
            Collection<NodePool> pools, Collection<Price> prices, Collection<Budget> budgets,
            Collection<PolicyOverride> overrides) {
        return new FleetSnapshot(regions, allowList, pools, prices, budgets, overrides);
    }

    private static <T> Map<String, T> index(Collection<T> rows, Function<T, String> key) {
        return rows.stream().collect(Collectors.toUnmodifiableMap(key, Function.identity(), (a, b) -> b));
    }

    /** Every region, eligible or not, by name. */
    public List<Region> regions() {
        return regions.values().stream().sorted(Comparator.comparing(Region::name)).toList();
    }

    public Optional<Region> region(String name) {
        // A missing name is as unknown as a misspelt one; the immutable map would throw on null.
        return name == null ? Optional.empty() : Optional.ofNullable(regions.get(name));
    }

    /** The region's zone; empty when the region or its zone is unknown. */
    public Optional<Zone> zoneOf(String region) {
        return region(region).flatMap(Region::zone);
    }

    /** Whether the region exists with a zone this build knows: the precondition for anything to happen there. */
    public boolean isKnownRegion(String region) {
        return zoneOf(region).isPresent();
    }

    public List<Region> regionsIn(Zone zone) {
        Objects.requireNonNull(zone, "zone");
        return regions().stream().filter(region -> region.zone().filter(zone::equals).isPresent()).toList();
    }

    /**
     * The regions that may serve clients of {@code clientRegion}: its zone's regions plus its allow-list
     * entries, each of them known. Empty for an unknown client region or zone.
     */
    public Set<String> servingRegions(String clientRegion) {
        Optional<Zone> zone = zoneOf(clientRegion);
        if (zone.isEmpty()) {
            return Set.of();
        }
        Set<String> serving = new TreeSet<>();
        regionsIn(zone.get()).forEach(region -> serving.add(region.name()));
        allowList.stream()
                .filter(entry -> entry.clientRegion().equals(clientRegion))
                .map(AllowListEntry::servingRegion)
                .filter(this::isKnownRegion)
                .forEach(serving::add);
        return Set.copyOf(serving);
    }

    public boolean mayServe(String clientRegion, String servingRegion) {
        return servingRegions(clientRegion).contains(servingRegion);
    }

    public List<AllowListEntry> allowList() {
        return allowList;
    }

    /** Pools of known regions only, by region and name. */
    public List<NodePool> pools() {
        return pools;
    }

    public List<NodePool> poolsIn(String region) {
        return pools().stream().filter(pool -> pool.region().equals(region)).toList();
    }

    /** A map lookup: the scaler asks for every pool window. */
    public Optional<NodePool> pool(String region, String name) {
        return Optional.ofNullable(poolsByKey.get(region + "/" + name));
    }

    /** Every price period, also of unknown regions (for display); use {@link #price} to price anything. */
    public List<Price> prices() {
        return prices;
    }

    /** The price in force at {@code at}: the period with {@code effectiveFrom <= at < effectiveUntil}. */
    public Optional<Price> price(String region, String instanceType, CapacityType capacityType, Instant at) {
        if (!isKnownRegion(region)) {
            return Optional.empty();
        }
        return prices.stream()
                .filter(price -> price.region().equals(region) && price.instanceType().equals(instanceType)
                        && price.capacityType() == capacityType && price.appliesAt(at))
                // The database refuses overlaps; while a change is half applied, the newest period wins.
                .max(Comparator.comparing(Price::effectiveFrom));
    }

    public List<Budget> budgets() {
        return budgets.values().stream().sorted(Comparator.comparing(Budget::scope)).toList();
    }

    public Optional<Budget> budget(String scope) {
        return scope == null ? Optional.empty() : Optional.ofNullable(budgets.get(scope));
    }

    public Optional<PolicyOverride> policyOverride(String region, String pool) {
        if (!isKnownRegion(region)) {
            return Optional.empty();
        }
        return overrides.stream().filter(o -> o.region().equals(region) && o.pool().equals(pool)).findFirst();
    }

    public List<PolicyOverride> policyOverrides() {
        return overrides;
    }

    @Override
    public String toString() {
        return "FleetSnapshot[" + regions.size() + " regions, " + allowList.size() + " allow-list entries, "
                + pools.size() + " pools, " + prices.size() + " prices, " + budgets.size() + " budgets, "
                + overrides.size() + " overrides]";
    }
}
