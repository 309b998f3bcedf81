package dev.meridian.policy.routing;

import java.util.random.RandomGenerator;

/**
 * Picks an index with probability proportional to its weight. Randomness is always passed in, so a pick is
 * reproducible from its seed and the policy stays free of hidden state.
 */
public interface WeightedSampler {

    /** Number of indices, zero-weight ones included. */
    int size();

    /** An index whose weight is positive, with probability weight / total. */
    int pick(RandomGenerator random);

    /** Validates weights once for every implementation: finite, non-negative, with a positive total. */
    static double[] checkedCopy(double[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("at least one weight is needed");
        }
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (!Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException("weights[" + i + "] must be finite and non-negative, was " + w);
            }
            total += w;
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException("weights must have a positive, finite total, was " + total);
        }
        return weights.clone();
    }
}
