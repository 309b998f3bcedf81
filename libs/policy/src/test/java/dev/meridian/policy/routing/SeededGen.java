package dev.meridian.policy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Random test inputs from one seed, for the property-style tests: values within bounds, with the bounds and their
 * neighbours mixed in as edge cases, and half of the non-edge decimals rounded to two places so that round numbers
 * and ties occur. One generator in four draws edge cases at a rate of 1/2, the others at 1/20.
 */
final class SeededGen {

    private final SplittableRandom random;
    private final double edgeRate;

    SeededGen(long seed) {
        random = new SplittableRandom(seed);
        edgeRate = random.nextInt(4) == 0 ? 0.5 : 0.05;
    }

    /**
     * Runs {@code property} on {@code cases} generated inputs, each from its own seed drawn from {@code masterSeed};
     * a failure names the case, both seeds and the generated input, so it can be replayed alone.
     */
    static <C> void forEachCase(long masterSeed, int cases, Function<SeededGen, C> generator, Consumer<C> property) {
        SplittableRandom seeds = new SplittableRandom(masterSeed);
        for (int i = 0; i < cases; i++) {
            long seed = seeds.nextLong();
            C generated = generator.apply(new SeededGen(seed));
            try {
                property.accept(generated);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + i + " of " + cases + " (master seed " + masterSeed + ", case seed "
                        + seed + ") failed for " + generated + ": " + e.getMessage(), e);
            }
        }
    }

    private boolean edge() {
        return random.nextDouble() < edgeRate;
    }

    /** Uniform in [min, max], both included. */
    int integer(int min, int max) {
        if (edge()) {
            int[] edges = {min, Math.min(min + 1, max), Math.max(max - 1, min), max};
            return edges[random.nextInt(edges.length)];
        }
        return random.nextInt(min, max + 1);
    }

    /** Uniform in [min, max], both included. */
    double decimal(double min, double max) {
        if (edge()) {
            double[] edges = {min, Math.nextUp(min), min + 0.01, max - 0.01, Math.nextDown(max), max};
            return edges[random.nextInt(edges.length)];
        }
        double value = min + random.nextDouble() * (max - min);
        return random.nextBoolean() ? Math.max(min, Math.min(max, Math.round(value * 100) / 100.0)) : value;
    }

    /** Uniform in [0, 1), 1 excluded. */
    double unit() {
        if (edge()) {
            double[] edges = {0, Double.MIN_VALUE, 0.01, 0.5, 0.99, Math.nextDown(1.0)};
            return edges[random.nextInt(edges.length)];
        }
        double value = random.nextDouble();
        return random.nextBoolean() ? Math.floor(value * 100) / 100 : value;
    }

    /** {@code min} to {@code max} elements, both included. */
    <T> List<T> list(int min, int max, Supplier<T> element) {
        int size = edge() ? (random.nextBoolean() ? min : max) : random.nextInt(min, max + 1);
        List<T> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(element.get());
        }
        return List.copyOf(values);
    }

    /** {@code minSize} to {@code maxSize} integers in [min, max]. */
    List<Integer> integers(int minSize, int maxSize, int min, int max) {
        return list(minSize, maxSize, () -> integer(min, max));
    }

    /** {@code minSize} to {@code maxSize} decimals in [min, max]. */
    List<Double> decimals(int minSize, int maxSize, double min, double max) {
        return list(minSize, maxSize, () -> decimal(min, max));
    }
}
