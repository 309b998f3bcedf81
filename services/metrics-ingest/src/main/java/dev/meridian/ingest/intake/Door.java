package dev.meridian.ingest.intake;

/**
 * How a sample reached metrics-ingest. The tag value of the intake counters and the value of
 * {@link dev.meridian.contracts.metrics.DeadLetterHeaders#DOOR}.
 */
public enum Door {
    KAFKA("kafka"),
    HTTP("http"),
    REMOTE_WRITE("remote_write"),
    /**
     * Spot interruption notices over HTTP; invalid ones are counted and answered per item, and only a valid notice of
     * a region the caller may not act on is dead-lettered (it was well-formed: nothing of it may be lost).
     */
    INTERRUPTIONS("interruptions");

    private final String tag;

    Door(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
