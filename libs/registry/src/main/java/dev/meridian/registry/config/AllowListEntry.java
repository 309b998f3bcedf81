package dev.meridian.registry.config;

import java.time.Instant;
import java.util.Objects;

/** An explicit exception to residency: {@code clientRegion} may also be served by {@code servingRegion}. */
public record AllowListEntry(String clientRegion, String servingRegion, String reason, String changedBy,
        Instant changedAt) {

    public AllowListEntry {
        Objects.requireNonNull(clientRegion, "clientRegion");
        Objects.requireNonNull(servingRegion, "servingRegion");
    }
}
