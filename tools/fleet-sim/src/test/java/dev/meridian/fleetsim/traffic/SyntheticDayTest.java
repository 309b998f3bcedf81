package dev.meridian.fleetsim.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticDayTest {

    private final SyntheticDay calm = SyntheticDay.DEFAULT.withPeaks(1_000, Map.of("eu-west", 2_000.0))
            .withBursts(0, Duration.ZERO, 1);

    @Test
    void demandPeaksAt16AndBottomsAt04LocalTime() {
        // 16:00 in New York on 2026-11-16 (EST, UTC−5) is 21:00 UTC: the peak
        assertThat(calm.at("us-east", Instant.parse("2026-11-16T21:00:00Z"))).isCloseTo(1_000, within(1e-9));
        // 04:00 EST = 09:00 UTC: the trough, 30 % of the peak
        assertThat(calm.at("us-east", Instant.parse("2026-11-16T09:00:00Z"))).isCloseTo(300, within(1e-9));
        // 10:00 local, half-way: 0.3 + 0.7 × (1 − cos(π/2)) / 2 = 0.65
        assertThat(calm.at("us-east", Instant.parse("2026-11-16T15:00:00Z"))).isCloseTo(650, within(1e-9));
        // Dublin is on UTC in November; its own peak
        assertThat(calm.at("eu-west", Instant.parse("2026-11-16T16:00:00Z"))).isCloseTo(2_000, within(1e-9));
        // unknown regions run on UTC
        assertThat(calm.at("mars-1", Instant.parse("2026-11-16T16:00:00Z"))).isCloseTo(1_000, within(1e-9));
    }

    @Test
    void burstsMultiplyDemandAndRepeatForTheSameSeed() {
        SyntheticDay bursty = calm.withBursts(6, Duration.ofMinutes(5), 2).withSeed(3);
        Instant hour = Instant.parse("2026-11-16T21:00:00Z");
        int burstSeconds = 0;
        for (int s = 0; s < 3600; s++) {
            double ratio = bursty.at("us-east", hour.plusSeconds(s)) / calm.at("us-east", hour.plusSeconds(s));
            assertThat(ratio).isIn(1.0, 2.0, 4.0, 8.0, 16.0);
            burstSeconds += ratio > 1 ? 1 : 0;
            assertThat(bursty.withSeed(3).at("us-east", hour.plusSeconds(s)))
                    .isEqualTo(bursty.at("us-east", hour.plusSeconds(s)));
        }
        // six 5-minute bursts an hour on average cover at most half an hour
        assertThat(burstSeconds).isBetween(1, 1_800 + 300);
    }

    @Test
    void anIntervalIsTheMeanOfItsPoints() {
        Instant at = Instant.parse("2026-11-16T21:00:00Z");
        double mean = calm.tokensPerSecond("us-east", at, at.minusSeconds(30), Duration.ofMinutes(1));
        assertThat(mean).isLessThan(1_000).isGreaterThan(999);
    }
}
