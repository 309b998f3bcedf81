package dev.meridian.registry.config;

import java.util.Optional;

/**
 * A residency zone: a client region is served only by regions of its own zone (plus allow-list exceptions).
 * Parsing never guesses: an unknown code is empty, and callers treat that region as ineligible.
 */
public enum Zone {
    US, EU, APAC;

    public static Optional<Zone> parse(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (Zone zone : values()) {
            if (zone.name().equals(code)) {
                return Optional.of(zone);
            }
        }
        return Optional.empty();
    }
}
