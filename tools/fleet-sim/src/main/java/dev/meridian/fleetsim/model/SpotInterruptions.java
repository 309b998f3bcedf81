package dev.meridian.fleetsim.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Which spot nodes get an interruption notice in a step: each independently with probability
 * {@code ratePerNodeHour · seconds / 3600} (a Poisson process per node, thinned to at most one notice per step).
 * Draws come from the {@link Random} handed in, in the order of the nodes given, so a seeded run repeats exactly.
 *
 * @param ratePerNodeHour expected notices per spot node and hour of simulated time
 */
public record SpotInterruptions(double ratePerNodeHour) {

    public static final SpotInterruptions NONE = new SpotInterruptions(0);

    public SpotInterruptions {
        if (!(ratePerNodeHour >= 0) || Double.isInfinite(ratePerNodeHour)) {
            throw new IllegalArgumentException("ratePerNodeHour must be a non-negative number, was " + ratePerNodeHour);
        }
    }

    /** Probability that one node gets a notice within {@code step} of simulated time. */
    public double probability(Duration step) {
        return Math.min(1, ratePerNodeHour * step.toNanos() / 3.6e12);
    }

    /** The candidates that get a notice; exactly one draw per candidate, also when the rate is zero. */
    public <T> List<T> draw(List<T> candidates, Duration step, Random random) {
        double p = probability(step);
        List<T> hit = new ArrayList<>();
        for (T candidate : candidates) {
            if (random.nextDouble() < p) {
                hit.add(candidate);
            }
        }
        return hit;
    }
}
