package dev.meridian.service.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, from the verified JWT: the name ({@code upn}, else {@code sub}), the roles ({@code groups}, see
 * {@link Roles}) and the {@code regions} claim — a list of regions, or {@code "*"} (also as the only element of a list)
 * for every region. No claim: no region. The same in every service, so a token means the same everywhere.
 */
@RequestScoped
public class Caller {

    public static final String REGIONS_CLAIM = "regions";
    public static final String ALL_REGIONS = "*";
    private static final Set<String> EVERY_REGION = Set.of(ALL_REGIONS);

    private final JsonWebToken token;
    private Set<String> claimedRegions;

    public Caller(JsonWebToken token) {
        this.token = token;
    }

    public String name() {
        String name = token.getName();
        return name == null || name.isBlank() ? "anonymous" : name;
    }

    /** True only when the claim is {@code "*"} alone; a list mixing {@code "*"} with regions grants nothing. */
    public boolean allRegions() {
        return regionsClaim().equals(EVERY_REGION);
    }

    /** The regions named in the claim; meaningless when {@link #allRegions()}. */
    public List<String> regions() {
        return List.copyOf(named());
    }

    public boolean maySee(String region) {
        return allRegions() || named().contains(region);
    }

    /** @throws RegionRefusedException (403) when the caller's regions do not include {@code region} */
    public void requireRegion(String region) {
        if (!maySee(region)) {
            throw new RegionRefusedException(name(), region);
        }
    }

    /** The regions a query must be limited to; empty when the caller may see every region. */
    public java.util.Optional<Set<String>> regionLimit() {
        return allRegions() ? java.util.Optional.empty() : java.util.Optional.of(named());
    }

    /**
     * The regions the claim names; none when it also holds {@code "*"}: an identity provider that merged a wildcard
     * into a list made a mistake, and a mistake must not widen access.
     */
    private Set<String> named() {
        Set<String> claim = regionsClaim();
        return claim.contains(ALL_REGIONS) ? Set.of() : claim;
    }

    /** Read once per request: every check of the request asks again (VisibleWeights, once per node). */
    private Set<String> regionsClaim() {
        if (claimedRegions == null) {
            claimedRegions = Set.copyOf(readRegionsClaim());
        }
        return claimedRegions;
    }

    private Set<String> readRegionsClaim() {
        Object claim = token.getClaim(REGIONS_CLAIM);
        Set<String> regions = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString text) {
                    regions.add(text.getString());
                }
            }
        } else if (claim instanceof JsonString text) {
            Arrays.stream(text.getString().split(",")).map(String::strip).forEach(regions::add);
        } else if (claim instanceof String text) {
            Arrays.stream(text.split(",")).map(String::strip).forEach(regions::add);
        } else if (claim instanceof Iterable<?> values) {
            values.forEach(value -> regions.add(String.valueOf(value).strip()));
        }
        regions.removeIf(String::isBlank);
        return regions;
    }
}
