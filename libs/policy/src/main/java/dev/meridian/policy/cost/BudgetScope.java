package dev.meridian.policy.cost;

import java.util.Map;
import java.util.Objects;

/**
 * A budget's scope as the registry derives it: {@code global}, {@code region:<region>} or {@code <tag>:<value>}
 * (e.g. {@code team:search}, {@code capacityType:SPOT}).
 *
 * @param key   the tag name for a TAG scope, null otherwise
 * @param value the region or tag value, null for GLOBAL
 */
public record BudgetScope(String scope, Kind kind, String key, String value) {

    public enum Kind {
        GLOBAL, REGION, TAG
    }

    public static final String GLOBAL = "global";

    public BudgetScope {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(kind, "kind");
    }

    public static BudgetScope parse(String scope) {
        if (GLOBAL.equals(scope)) {
            return new BudgetScope(scope, Kind.GLOBAL, null, null);
        }
        int colon = scope.indexOf(':');
        if (colon <= 0 || colon == scope.length() - 1) {
            throw new IllegalArgumentException("scope must be global, region:<region> or <tag>:<value>, was " + scope);
        }
        String key = scope.substring(0, colon);
        String value = scope.substring(colon + 1);
        return CostTags.REGION.equals(key)
                ? new BudgetScope(scope, Kind.REGION, null, value)
                : new BudgetScope(scope, Kind.TAG, key, value);
    }

    public boolean matches(String region, Map<String, String> tags) {
        return switch (kind) {
            case GLOBAL -> true;
            case REGION -> value.equals(region);
            case TAG -> value.equals(tags.get(key));
        };
    }

    public boolean matches(CostLine line) {
        return matches(line.region(), line.tags());
    }
}
