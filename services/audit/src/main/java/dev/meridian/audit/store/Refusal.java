package dev.meridian.audit.store;

import dev.meridian.contracts.validation.Checks;
import java.util.Locale;

/**
 * A record of the audit log the store will not hold as it is, and why: it goes to {@code audit.quarantine}, and, when
 * it is a chain entry with a place ({@code entry} set), a placeholder takes that place.
 *
 * @param partition the log partition it was read from
 * @param offset    its offset there
 * @param raw       the record's value as it was on the log (null for a tombstone)
 * @param entry     the entry as parsed, when it is one; null when the record is not an audit entry at all
 */
record Refusal(Kind kind, String reason, int partition, long offset, byte[] raw, LogEntry entry) {

    /** Why, as a metric tag: a handful of values, never the text of the record. */
    enum Kind {
        /** Not a chain entry: not JSON, a field missing or of the wrong type. */
        MALFORMED,
        /** A control character in an identifier or text column (a NUL cannot be stored at all). */
        CONTROL_CHARACTER,
        /** A time in a month retention drops, or too far ahead. */
        TIME_OUT_OF_RANGE,
        /** PostgreSQL refused the row for its content (found by bisecting the batch). */
        REFUSED_BY_STORE;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    Refusal {
        reason = Checks.printable(reason, Checks.MAX_TEXT_LENGTH);
    }
}
