package dev.meridian.ingest.intake;

import dev.meridian.contracts.validation.Violation;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The regions a request may write for: at the HTTP doors those of the caller's token
 * ({@code Caller.regionLimit()}), checked per item, so an item of another region is rejected with rule
 * {@value #RULE} (item error, DLQ, rejected counter) while the rest of the request goes through. The Kafka door
 * has no caller and checks nothing ({@link #ALL}). One permit per request: it counts what it refused, for the
 * request's refusal report.
 */
public final class RegionPermit {

    /** The rule (DLQ header, item error, {@code rule} tag of the rejected counter) of an item of another region. */
    public static final String RULE = "region-not-permitted";

    /** Every region. */
    public static final RegionPermit ALL = new RegionPermit(null);

    /** null: every region. */
    private final Set<String> regions;
    /** Items refused per region, for the refusal reports of the request this permit was made for. */
    private final Map<String, Integer> refused = new ConcurrentHashMap<>();

    private RegionPermit(Set<String> regions) {
        this.regions = regions;
    }

    /** From a caller's region limit ({@code Caller.regionLimit()}): empty means every region, an empty set none. */
    public static RegionPermit of(Optional<Set<String>> limit) {
        return limit.map(RegionPermit::only).orElse(ALL);
    }

    public static RegionPermit only(Set<String> regions) {
        return new RegionPermit(Set.copyOf(regions));
    }

    public boolean permits(String region) {
        return regions == null || (region != null && regions.contains(region));
    }

    /**
     * Why an item of {@code region} is refused; {@code field} names where the item says its region. Counted in
     * {@link #refused()}.
     */
    public Violation violation(String field, String region) {
        refused.merge(String.valueOf(region), 1, Integer::sum);
        return new Violation(field, RULE, field + " " + region + " is not among the regions the caller may write for "
                + (regions == null ? "[*]" : new TreeSet<>(regions)));
    }

    /** How many items of which regions this permit refused so far. */
    public Map<String, Integer> refused() {
        return Map.copyOf(refused);
    }

    /** {@code verdict}, unless it accepted a value of a region this permit does not cover. */
    public <T> Verdict<T> screen(Verdict<T> verdict, String field, Function<T, String> regionOf) {
        if (verdict instanceof Verdict.Accepted<T> accepted) {
            String region = regionOf.apply(accepted.value());
            if (!permits(region)) {
                return Verdict.Rejected.of(violation(field, region));
            }
        }
        return verdict;
    }

    @Override
    public String toString() {
        return "RegionPermit" + (regions == null ? "[*]" : new TreeSet<>(regions));
    }
}
