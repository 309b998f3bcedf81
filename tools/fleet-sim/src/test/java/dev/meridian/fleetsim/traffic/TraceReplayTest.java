package dev.meridian.fleetsim.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.fleetsim.traffic.TraceReplay.RegionReplay;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceReplayTest {

    private static final Instant START = Instant.parse("2026-11-16T18:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);

    /** Four seconds of trace: 100, 200, 300, 400 tokens. */
    private static final AzureTrace TRACE = AzureTrace.read(new StringReader("""
            TIMESTAMP,ContextTokens,GeneratedTokens
            2023-11-16 18:00:00.1,100,0
            2023-11-16 18:00:01.1,150,50
            2023-11-16 18:00:02.1,300,0
            2023-11-16 18:00:03.1,0,400
            """), "four.csv");

    private final TraceReplay replay = new TraceReplay(TRACE, Map.of(
            "eu-west", new RegionReplay(Duration.ofSeconds(2), 1),
            "us-west", new RegionReplay(Duration.ZERO, 0.5)), RegionReplay.AS_RECORDED);

    @Test
    void eachRegionRunsThroughTheTraceFromItsShiftTimesItsMultiplier() {
        assertThat(rate("us-east", 0)).isEqualTo(100.0);
        assertThat(rate("us-east", 3)).isEqualTo(400.0);
        // eu-west starts 2 s into the trace
        assertThat(rate("eu-west", 0)).isEqualTo(300.0);
        // us-west at half the rate
        assertThat(rate("us-west", 1)).isEqualTo(100.0);
    }

    @Test
    void theTraceStartsOverAtItsEndSoShiftsWrap() {
        assertThat(rate("us-east", 4)).isEqualTo(100.0);
        assertThat(rate("eu-west", 2)).isEqualTo(100.0);
        assertThat(rate("us-east", -1)).isEqualTo(400.0);
    }

    @Test
    void longerIntervalsAverageTheTrace() {
        // a compressed tick: seconds 1..2 → (200 + 300) / 2
        assertThat(replay.tokensPerSecond("us-east", START, START.plusSeconds(1), Duration.ofSeconds(2)))
                .isEqualTo(250.0);
        // half seconds: [0.5, 1.5) → (100 / 2 + 200 / 2) / 1
        assertThat(replay.tokensPerSecond("us-east", START, START.plusMillis(500), SECOND))
                .isCloseTo(150.0, within(1e-9));
        // a whole lap and a bit: [0, 6) → (1,000 + 100 + 200) / 6
        assertThat(replay.tokensPerSecond("us-east", START, START, Duration.ofSeconds(6)))
                .isCloseTo(1_300.0 / 6, within(1e-9));
    }

    private double rate(String region, int second) {
        return replay.tokensPerSecond(region, START, START.plusSeconds(second), SECOND);
    }
}
