package dev.meridian.testkit.security;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** A token as the services see it once verified, for unit tests of what they make of its claims. */
public final class VerifiedTokens {

    private VerifiedTokens() {
    }

    /** A verified token of {@code name} with the {@code regions} claim as given (a list, a string, or null: none). */
    public static JsonWebToken withRegions(String name, Object regions) {
        Map<String, Object> claims = regions == null ? Map.of() : Map.of("regions", regions);
        return new JsonWebToken() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claim) {
                return (T) claims.get(claim);
            }
        };
    }
}
