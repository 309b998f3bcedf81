package dev.meridian.service.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ForbiddenException;
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

    private final JsonWebToken token;

    Caller(JsonWebToken token) {
        this.token = token;
    }

    public String name() {
        String name = token.getName();
        return name == null || name.isBlank() ? "anonymous" : name;
    }

    public boolean allRegions() {
        return regionsClaim().contains(ALL_REGIONS);
    }

    /** The regions named in the claim; meaningless when {@link #allRegions()}. */
    public List<String> regions() {
        return List.copyOf(regionsClaim());
    }

    public boolean maySee(String region) {
        return allRegions() || regionsClaim().contains(region);
    }

    /** @throws ForbiddenException (403) when the caller's regions do not include {@code region} */
    public void requireRegion(String region) {
        if (!maySee(region)) {
            throw new ForbiddenException(name() + " may not use region " + region);
        }
    }

    /** The regions a query must be limited to; empty when the caller may see every region. */
    public java.util.Optional<Set<String>> regionLimit() {
        return allRegions() ? java.util.Optional.empty() : java.util.Optional.of(Set.copyOf(regionsClaim()));
    }

    private Set<String> regionsClaim() {
        Object claim = token.getClaim(REGIONS_CLAIM);
        Set<String> regions = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString text) {
                    regions.add(text.getString());
                }
            }
        } else if (claim instanceof JsonString text) {
            regions.addAll(Arrays.asList(text.getString().split(",")));
        } else if (claim instanceof String text) {
            regions.addAll(Arrays.asList(text.split(",")));
        } else if (claim instanceof Iterable<?> values) {
            values.forEach(value -> regions.add(String.valueOf(value)));
        }
        regions.removeIf(String::isBlank);
        return regions;
    }
}
