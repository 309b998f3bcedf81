package dev.meridian.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowKeysTest {

    @Test
    void startIsZeroPaddedToThirteenDigitsLikePercent013d() {
        Random random = new Random(4);
        long[] edges = {0, 1, 999_999_999_999L, 1_000_000_000_000L, 9_999_999_999_999L, 10_000_000_000_000L, -1, -42};
        for (long millis : edges) {
            assertThat(WindowKeys.of(Instant.ofEpochMilli(millis), "n1")).isEqualTo(String.format("%013d|n1", millis));
        }
        for (int i = 0; i < 1_000; i++) {
            long millis = random.nextLong() % 100_000_000_000_000L;
            Instant start = Instant.ofEpochMilli(millis);
            assertThat(WindowKeys.of(start, "node-" + i)).isEqualTo(String.format("%013d|node-%d", millis, i));
            assertThat(WindowKeys.upTo(start)).isEqualTo(String.format("%013d|\uffff", millis));
        }
    }

    @Test
    void keysOfEarlierWindowsSortFirstAndStayWithinTheirUpperBound() {
        Instant earlier = Instant.parse("2026-01-01T00:00:00Z");
        Instant later = earlier.plusSeconds(10);
        String early = WindowKeys.of(earlier, "zzz-node");
        String late = WindowKeys.of(later, "a-node");
        assertThat(early).isLessThan(late).isLessThanOrEqualTo(WindowKeys.upTo(earlier));
        assertThat(late).isGreaterThan(WindowKeys.upTo(earlier));
        assertThat(WindowKeys.windowStart(late)).isEqualTo(later);
        assertThat(WindowKeys.id(late)).isEqualTo("a-node");
    }
}
