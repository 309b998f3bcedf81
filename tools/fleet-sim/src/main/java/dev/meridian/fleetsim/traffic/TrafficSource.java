package dev.meridian.fleetsim.traffic;

import java.time.Duration;
import java.time.Instant;

/**
 * Client demand per region over simulated time. Implementations are pure functions of their arguments, so the
 * what-if replay and the live simulator see the same traffic for the same instants.
 */
@FunctionalInterface
public interface TrafficSource {

    /**
     * Mean demand of {@code clientRegion}'s clients over {@code [from, from + length)}, in tokens per second.
     *
     * @param start when the simulation's traffic began (a trace replays from its beginning there)
     */
    double tokensPerSecond(String clientRegion, Instant start, Instant from, Duration length);

    /** The same demand in every region at every time: for tests. */
    static TrafficSource constant(double tokensPerSecond) {
        return (region, start, from, length) -> tokensPerSecond;
    }
}
