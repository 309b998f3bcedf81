package dev.meridian.ingest.streams;

import java.time.Instant;

/**
 * Store keys {@code <window start, 13 digits>|<id>}: in-memory stores keep keys sorted, so every closed window is
 * one range scan from the start of the store.
 */
final class WindowKeys {

    private static final char SEPARATOR = '|';

    private WindowKeys() {
    }

    static String of(Instant windowStart, String id) {
        return String.format("%013d%c%s", windowStart.toEpochMilli(), SEPARATOR, id);
    }

    /** Upper bound (inclusive) of the keys of every window that starts at or before {@code windowStart}. */
    static String upTo(Instant windowStart) {
        return String.format("%013d%c\uffff", windowStart.toEpochMilli(), SEPARATOR);
    }

    static String lowest() {
        return "";
    }

    static Instant windowStart(String key) {
        return Instant.ofEpochMilli(Long.parseLong(key.substring(0, key.indexOf(SEPARATOR))));
    }

    static String id(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }
}
