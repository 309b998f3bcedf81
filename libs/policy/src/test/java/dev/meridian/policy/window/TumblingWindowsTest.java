package dev.meridian.policy.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TumblingWindowsTest {

    private final TumblingWindows windows = TumblingWindows.DEFAULT;

    @Test
    void alignsWindowsToTheEpochInStepsOfTheSize() {
        assertThat(windows.startOf(Instant.parse("2026-11-27T10:00:07.999Z")))
                .isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(windows.startOf(Instant.parse("2026-11-27T10:00:10Z")))
                .isEqualTo(Instant.parse("2026-11-27T10:00:10Z"));
        assertThat(windows.endOf(Instant.parse("2026-11-27T10:00:10Z")))
                .isEqualTo(Instant.parse("2026-11-27T10:00:20Z"));
    }

    @Test
    void windowClosesAtItsEndPlusGrace() {
        assertThat(windows.closesAt(Instant.parse("2026-11-27T10:00:10Z")))
                .isEqualTo(Instant.parse("2026-11-27T10:00:25Z"));
    }

    @Test
    void acceptsLateSampleUntilTheGraceRunsOut() {
        Instant sample = Instant.parse("2026-11-27T10:00:19Z");
        assertThat(windows.accepts(sample, Instant.parse("2026-11-27T10:00:24.999Z"))).isTrue();
        assertThat(windows.accepts(sample, Instant.parse("2026-11-27T10:00:25Z"))).isFalse();
    }

    @Test
    void refusesSamplesFurtherInTheFutureThanTheGrace() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        assertThat(windows.withinClockSkew(now.plusSeconds(5), now)).isTrue();
        assertThat(windows.withinClockSkew(now.plusMillis(5_001), now)).isFalse();
        assertThat(windows.withinClockSkew(now.minusSeconds(3_600), now)).isTrue();
    }

    @Test
    void rejectsZeroSizeAndNegativeGrace() {
        assertThatThrownBy(() -> new TumblingWindows(Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("window size must be at least 1 ms");
        assertThatThrownBy(() -> new TumblingWindows(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .hasMessageContaining("window grace must not be negative");
    }

    @Test
    void everyInstantFallsInsideItsOwnWindow() {
        // 10,000 seeded cases, before and after the epoch, window sizes from 1 ms to an hour.
        SplittableRandom random = new SplittableRandom(20261127);
        for (int i = 0; i < 10_000; i++) {
            long epochMillis = random.nextLong(-4_000_000_000_000L, 4_000_000_000_000L);
            long sizeMillis = random.nextLong(1, 3_600_001);
            TumblingWindows custom = new TumblingWindows(Duration.ofMillis(sizeMillis), Duration.ZERO);
            Instant time = Instant.ofEpochMilli(epochMillis);
            Instant start = custom.startOf(time);

            String scenario = "time " + epochMillis + " ms, size " + sizeMillis + " ms";
            assertThat(start).as(scenario).isBeforeOrEqualTo(time);
            assertThat(custom.endOf(start)).as(scenario).isAfter(time);
            assertThat(start.toEpochMilli() % sizeMillis).as(scenario).isZero();
        }
    }
}
