package dev.meridian.policy.routing;

import java.util.random.RandomGenerator;

/**
 * The O(n) reference sampler: walk the weights until their running sum passes a uniform point of the total. Kept
 * as the baseline the alias method must beat (≥ 10× at 1,000 nodes) and as an oracle in tests.
 */
public final class LinearWeightedScan implements WeightedSampler {

    private final double[] weights;
    private final double total;
    private final int lastPositive;

    private LinearWeightedScan(double[] weights) {
        this.weights = weights;
        double sum = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            if (weights[i] > 0) {
                last = i;
            }
        }
        this.total = sum;
        this.lastPositive = last;
    }

    public static LinearWeightedScan of(double... weights) {
        return new LinearWeightedScan(WeightedSampler.checkedCopy(weights));
    }

    @Override
    public int size() {
        return weights.length;
    }

    /** @param u uniform in [0, 1) */
    public int pick(double u) {
        double point = u * total;
        double running = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                running += weights[i];
                if (point < running) {
                    return i;
                }
            }
        }
        // Rounding can leave the running sum a hair below the total.
        return lastPositive;
    }

    @Override
    public int pick(RandomGenerator random) {
        return pick(random.nextDouble());
    }
}
