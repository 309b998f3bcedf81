package dev.meridian.audit.store;

import java.sql.SQLException;

/**
 * A stored entry whose sealed payload cannot be opened: tampered with, moved to another row, or its data key missing or
 * not unwrappable. Verification reports it as that entry's break; reads fail with it rather than show a payload that
 * cannot be vouched for.
 */
public final class BrokenSeal extends SQLException {

    private final String entryId;
    private final long sequence;
    private final String reason;

    BrokenSeal(String entryId, long sequence, String reason) {
        super("entry " + entryId + " (sequence " + sequence + "): " + reason);
        this.entryId = entryId;
        this.sequence = sequence;
        this.reason = reason;
    }

    BrokenSeal(String entryId, long sequence, String reason, Throwable cause) {
        this(entryId, sequence, reason);
        initCause(cause);
    }

    public String entryId() {
        return entryId;
    }

    public long sequence() {
        return sequence;
    }

    /** What is wrong, without the entry's name. */
    public String reason() {
        return reason;
    }
}
