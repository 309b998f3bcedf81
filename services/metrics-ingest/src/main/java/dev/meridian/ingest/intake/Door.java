package dev.meridian.ingest.intake;

/**
 * How a sample reached metrics-ingest. The tag value of the intake counters and the value of
 * {@link dev.meridian.contracts.metrics.DeadLetterHeaders#DOOR}.
 */
public enum Door {
    KAFKA("kafka"),
    HTTP("http"),
    REMOTE_WRITE("remote_write"),
    /** Spot interruption notices over HTTP; counted, never dead-lettered (the DLQ is for metrics). */
    INTERRUPTIONS("interruptions");

    private final String tag;

    Door(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
