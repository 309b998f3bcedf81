package dev.meridian.policy.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.fleet.NodeState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeLivenessTest {

    private static final Instant LAST_SEEN = Instant.parse("2026-11-27T10:00:10Z");

    private final NodeLiveness liveness = new NodeLiveness(TumblingWindows.DEFAULT, 3, Duration.ofMinutes(5));

    @Test
    void staysJoinedUntilThreeSilentWindowsHaveClosed() {
        // Windows [10,20), [20,30), [30,40) are silent; the last one closes at 40 s + 5 s grace.
        assertThat(liveness.stateAt(LAST_SEEN, Instant.parse("2026-11-27T10:00:44.999Z"))).isEqualTo(NodeState.JOINED);
        assertThat(liveness.stateAt(LAST_SEEN, Instant.parse("2026-11-27T10:00:45Z"))).isEqualTo(NodeState.STALE);
    }

    @Test
    void leavesAfterTheLeftTimeout() {
        assertThat(liveness.stateAt(LAST_SEEN, LAST_SEEN.plus(Duration.ofMinutes(5)).minusMillis(1)))
                .isEqualTo(NodeState.STALE);
        assertThat(liveness.stateAt(LAST_SEEN, LAST_SEEN.plus(Duration.ofMinutes(5)))).isEqualTo(NodeState.LEFT);
    }

    @Test
    void refusesALeftTimeoutShorterThanStaleness() {
        assertThatThrownBy(() -> new NodeLiveness(TumblingWindows.DEFAULT, 3, Duration.ofSeconds(30)))
                .hasMessageContaining("must be longer than the stale period");
    }
}
