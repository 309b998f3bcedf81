package dev.meridian.policy.routing;

import java.util.random.RandomGenerator;

/**
 * Vose's alias method: O(n) to build, O(1) per pick (one uniform index, one biased coin), whatever the weights.
 * The route API builds one per table version and picks from it on every request.
 *
 * <p>Every column {@code i} holds a probability {@code prob[i]} of keeping {@code i} and an {@code alias[i]} to use
 * otherwise; column masses add up so that index {@code i} is picked with probability {@code w[i] / Σ w}. A
 * zero-weight index keeps probability 0 and an alias with positive weight, so it is never returned, also when
 * rounding leaves a column over at the end.
 */
public final class AliasSampler implements WeightedSampler {

    private final double[] prob;
    private final int[] alias;

    private AliasSampler(double[] prob, int[] alias) {
        this.prob = prob;
        this.alias = alias;
    }

    public static AliasSampler of(double... weights) {
        double[] w = WeightedSampler.checkedCopy(weights);
        int n = w.length;
        double total = 0;
        int heaviest = 0;
        for (int i = 0; i < n; i++) {
            total += w[i];
            if (w[i] > w[heaviest]) {
                heaviest = i;
            }
        }
        double[] scaled = new double[n];
        double[] prob = new double[n];
        int[] alias = new int[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = w[i] * n / total;
            alias[i] = i;
            if (scaled[i] >= 1) {
                large[largeCount++] = i;
            } else if (w[i] > 0) {
                small[smallCount++] = i;
            }
        }
        // Zero weights go on top of the stack so they are paired first, while a large column certainly remains
        // (the remaining mass equals the remaining count, and a zero holds none of it).
        for (int i = 0; i < n; i++) {
            if (w[i] == 0) {
                small[smallCount++] = i;
            }
        }
        while (smallCount > 0 && largeCount > 0) {
            int s = small[--smallCount];
            int l = large[largeCount - 1];
            prob[s] = scaled[s];
            alias[s] = l;
            // (l + s) - 1 rather than l - (1 - s): Vose's form, which loses less to rounding.
            scaled[l] = (scaled[l] + scaled[s]) - 1;
            if (scaled[l] < 1) {
                largeCount--;
                small[smallCount++] = l;
            }
        }
        while (largeCount > 0) {
            prob[large[--largeCount]] = 1;
        }
        while (smallCount > 0) {
            int s = small[--smallCount];
            // Left over only through rounding, so its mass is 1 up to an ulp, unless it had no weight at all.
            prob[s] = w[s] > 0 ? 1 : 0;
            alias[s] = w[s] > 0 ? s : heaviest;
        }
        return new AliasSampler(prob, alias);
    }

    @Override
    public int size() {
        return prob.length;
    }

    /** The exact probability the table gives {@code index}: its own column's share plus every column aliasing it. */
    double probability(int index) {
        double mass = alias[index] == index ? 1 : prob[index];
        for (int i = 0; i < prob.length; i++) {
            if (i != index && alias[i] == index) {
                mass += 1 - prob[i];
            }
        }
        return mass / prob.length;
    }

    /**
     * @param column uniform in [0, 1): chooses the column
     * @param coin   uniform in [0, 1): keeps the column or takes its alias
     */
    public int pick(double column, double coin) {
        int i = Math.min((int) (column * prob.length), prob.length - 1);
        return coin < prob[i] ? i : alias[i];
    }

    @Override
    public int pick(RandomGenerator random) {
        int i = random.nextInt(prob.length);
        return random.nextDouble() < prob[i] ? i : alias[i];
    }
}
