package dev.meridian.policy.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Tumbling windows aligned to the epoch, with a grace period for late samples. The Kafka Streams topology and
 * the what-if replay both ask this class which window a sample belongs to and whether it still counts, so the
 * two always agree.
 *
 * @param size  window length (default 10 s)
 * @param grace how long after its end a window still accepts samples (default 5 s); also the maximum clock skew
 *              a sender may have into the future
 */
public record TumblingWindows(Duration size, Duration grace) {

    public static final TumblingWindows DEFAULT = new TumblingWindows(Duration.ofSeconds(10), Duration.ofSeconds(5));

    public TumblingWindows {
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(grace, "grace");
        if (size.toMillis() <= 0) {
            throw new IllegalArgumentException("window size must be at least 1 ms, was " + size);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("window grace must not be negative, was " + grace);
        }
    }

    /** Start of the window that contains {@code time}; windows are [start, start + size). */
    public Instant startOf(Instant time) {
        long millis = time.toEpochMilli();
        return Instant.ofEpochMilli(millis - Math.floorMod(millis, size.toMillis()));
    }

    public Instant endOf(Instant windowStart) {
        return windowStart.plus(size);
    }

    /** The instant from which the window no longer accepts samples and its result can be emitted. */
    public Instant closesAt(Instant windowStart) {
        return endOf(windowStart).plus(grace);
    }

    /**
     * Whether a sample stamped {@code eventTime} still counts once the stream has seen {@code streamTime}: the
     * same rule Kafka Streams applies (accepted while stream time is before window end + grace).
     */
    public boolean accepts(Instant eventTime, Instant streamTime) {
        return streamTime.isBefore(closesAt(startOf(eventTime)));
    }

    /** A sample from further in the future than the grace is refused as clock skew. */
    public boolean withinClockSkew(Instant eventTime, Instant now) {
        return !eventTime.isAfter(now.plus(grace));
    }
}
