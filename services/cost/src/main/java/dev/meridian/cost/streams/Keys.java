package dev.meridian.cost.streams;

import java.time.Instant;

/** Store keys that sort by hour: {@code 2026-11-27T13:00:00Z|<aggregate id>}. */
public final class Keys {

    private static final char SEPARATOR = '|';

    private Keys() {
    }

    /** On-the-hour instants print at a fixed width, so these keys sort chronologically (years 1000–9999). */
    public static String hourFirst(Instant hourStart, String id) {
        return hourStart.toString() + SEPARATOR + id;
    }

    /** The smallest key of {@code hourStart}'s hour: range scans start here. */
    public static String hourFloor(Instant hourStart) {
        return hourStart.toString() + SEPARATOR;
    }
}
