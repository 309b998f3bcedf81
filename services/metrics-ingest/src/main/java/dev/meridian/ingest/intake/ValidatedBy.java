package dev.meridian.ingest.intake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The {@value #HEADER} header on a {@code meridian.metrics.raw.v1} record that one of ingest's own doors validated
 * already: the HTTP door (samples it checked before answering 202), the remote_write door, or the Kafka intake
 * itself (a valid sample it moved to its node's partition). The intake then only parses it: a sample is checked once.
 *
 * <p>Trusting the header is safe because only metrics-ingest may write the raw topic's validated records: agents
 * that write raw themselves are expected to send unmarked records, and deploy/ grants Write on
 * {@code meridian.metrics.raw.v1} to the {@code meridian-metrics-ingest} principal alone (tests/deploy
 * {@code KafkaTest}). Should agents ever be given Write on it, this header must become a MAC.
 */
public final class ValidatedBy {

    public static final String HEADER = "meridian_validated";
    private static final Door[] DOORS = {Door.HTTP, Door.REMOTE_WRITE, Door.KAFKA};
    private static final byte[][] VALUES = {bytes(Door.HTTP), bytes(Door.REMOTE_WRITE), bytes(Door.KAFKA)};

    private ValidatedBy() {
    }

    /** The door that validated the record, or empty: an unmarked record, or a value no door of ours writes. */
    public static Optional<Door> of(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        for (int i = 0; i < DOORS.length; i++) {
            if (Arrays.equals(VALUES[i], header.value())) {
                return Optional.of(DOORS[i]);
            }
        }
        return Optional.empty();
    }

    /** Marks {@code headers} as validated by {@code door} (replacing any mark they carried). */
    public static void mark(Headers headers, Door door) {
        headers.remove(HEADER);
        headers.add(HEADER, bytes(door));
    }

    private static byte[] bytes(Door door) {
        return door.tag().getBytes(StandardCharsets.UTF_8);
    }
}
