package dev.meridian.ingest.intake;

import dev.meridian.contracts.metrics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/** Writes the {@link DeadLetterHeaders} every door puts on a rejected record. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** Sets reason, field, rule, door and time on {@code headers}, replacing earlier values. */
    public static Headers write(Headers headers, Verdict.Rejected<?> rejected, Door door, Instant rejectedAt) {
        set(headers, DeadLetterHeaders.REASON, rejected.reason());
        set(headers, DeadLetterHeaders.FIELD, rejected.field());
        set(headers, DeadLetterHeaders.RULE, rejected.rule());
        set(headers, DeadLetterHeaders.DOOR, door.tag());
        set(headers, DeadLetterHeaders.REJECTED_AT, rejectedAt.toString());
        return headers;
    }

    /** Where a Kafka-door record was read, so it can be found and replayed. */
    public static Headers writeSource(Headers headers, String topic, int partition, long offset) {
        set(headers, DeadLetterHeaders.SOURCE_TOPIC, topic);
        set(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(partition));
        set(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(offset));
        return headers;
    }

    private static void set(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
