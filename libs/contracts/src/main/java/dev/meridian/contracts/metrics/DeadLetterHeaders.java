package dev.meridian.contracts.metrics;

/**
 * Headers on {@code meridian.metrics.dlq.v1}. The value is the rejected bytes exactly as received; these headers
 * say why and where from, so an operator can fix the sender and, if wanted, replay the record.
 */
public final class DeadLetterHeaders {

    /** Human-readable reason, e.g. {@code gpuUtil must be within 0..100, was 4294967295}. */
    public static final String REASON = "meridian_dlq_reason";
    /** The offending field ({@code $} for the whole document). */
    public static final String FIELD = "meridian_dlq_field";
    /**
     * The rule broken: {@code json}, {@code type}, {@code required}, {@code range}, {@code clock skew}… or the
     * ingest's own {@code region-not-permitted}, {@code node-of-another-region}, {@code node-limit},
     * {@code dead-letter-cap}.
     */
    public static final String RULE = "meridian_dlq_rule";
    /**
     * Which door received it: {@code kafka}, {@code http}, {@code remote_write} or {@code interruptions}; for a
     * sample the windowing refused, the door that checked it.
     */
    public static final String DOOR = "meridian_dlq_door";
    /** For the Kafka door: where the record was read. */
    public static final String SOURCE_TOPIC = "meridian_dlq_source_topic";
    public static final String SOURCE_PARTITION = "meridian_dlq_source_partition";
    public static final String SOURCE_OFFSET = "meridian_dlq_source_offset";
    /** When the record was rejected (ISO-8601). */
    public static final String REJECTED_AT = "meridian_dlq_rejected_at";

    private DeadLetterHeaders() {
    }
}
