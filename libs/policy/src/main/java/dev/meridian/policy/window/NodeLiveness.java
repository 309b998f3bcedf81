package dev.meridian.policy.window;

import dev.meridian.contracts.fleet.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a silent node counts as STALE and when as LEFT, measured from {@code lastSeen}: the end of the last window
 * that held one of its samples.
 *
 * <p>STALE means {@code staleAfterWindows} whole windows after that one have closed without a sample
 * (default 3 × 10 s, plus the grace that lets the last of them close). LEFT means silence for {@code leftAfter}.
 */
public record NodeLiveness(TumblingWindows windows, int staleAfterWindows, Duration leftAfter) {

    public NodeLiveness {
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(leftAfter, "leftAfter");
        if (staleAfterWindows < 1) {
            throw new IllegalArgumentException("staleAfterWindows must be at least 1, was " + staleAfterWindows);
        }
        Duration staleAfter = staleAfter(windows, staleAfterWindows);
        if (leftAfter.compareTo(staleAfter) <= 0) {
            throw new IllegalArgumentException(
                    "leftAfter (" + leftAfter + ") must be longer than the stale period (" + staleAfter + ")");
        }
    }

    public Duration staleAfter() {
        return staleAfter(windows, staleAfterWindows);
    }

    private static Duration staleAfter(TumblingWindows windows, int staleAfterWindows) {
        return windows.size().multipliedBy(staleAfterWindows).plus(windows.grace());
    }

    public NodeState stateAt(Instant lastSeen, Instant now) {
        if (!now.isBefore(lastSeen.plus(leftAfter))) {
            return NodeState.LEFT;
        }
        if (!now.isBefore(lastSeen.plus(staleAfter()))) {
            return NodeState.STALE;
        }
        return NodeState.JOINED;
    }
}
