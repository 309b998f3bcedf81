package dev.meridian.registry.config;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A region of the registry.
 *
 * @param zoneCode the zone as stored; kept raw so a zone this build does not know stays visible (and ineligible)
 *                 instead of failing the whole view
 */
public record Region(String name, String zoneCode, String displayName, String changedBy, Instant changedAt) {

    public Region {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zoneCode, "zoneCode");
    }

    /** Empty when the zone is unknown to this build: such a region serves nobody. */
    public Optional<Zone> zone() {
        return Zone.parse(zoneCode);
    }
}
