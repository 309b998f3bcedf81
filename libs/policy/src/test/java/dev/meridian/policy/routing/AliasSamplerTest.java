package dev.meridian.policy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AliasSamplerTest {

    private static final int DRAWS = 1_000_000;
    private static final double[] WEIGHTS = {5, 0, 1, 2.5, 10, 0.5, 0, 3, 7, 1};
    /** Generated cases per property test; each case is reproducible from the seed its failure message names. */
    private static final int CASES = 1_000;

    @Test
    void buildsTheAliasTableByHand() {
        AliasSampler sampler = AliasSampler.of(1, 3);

        // scaled by n / Σ = 2/4: 0.5 and 1.5. Column 0 keeps itself with 0.5 and aliases 1; column 1 is full.
        assertThat(sampler.pick(0.2, 0.3)).isZero();
        assertThat(sampler.pick(0.2, 0.7)).isEqualTo(1);
        assertThat(sampler.pick(0.7, 0.99)).isEqualTo(1);
        assertThat(sampler.pick(Math.nextDown(1.0), 0)).isEqualTo(1);
        assertThat(sampler.probability(0)).isCloseTo(0.25, within(1e-15));
        assertThat(sampler.probability(1)).isCloseTo(0.75, within(1e-15));
    }

    @Test
    void linearScanWalksTheRunningSum() {
        LinearWeightedScan scan = LinearWeightedScan.of(1, 0, 3);

        // total 4: u 0.2 → point 0.8 < 1 → index 0; u 0.25 → point 1.0, not < 1, the zero is skipped, < 4 → index 2
        assertThat(scan.pick(0.2)).isZero();
        assertThat(scan.pick(0.25)).isEqualTo(2);
        assertThat(scan.pick(Math.nextDown(1.0))).isEqualTo(2);
    }

    @Test
    void aMillionDrawsMatchTheWeightsByChiSquare() {
        long[] alias = histogram(AliasSampler.of(WEIGHTS), new SplittableRandom(20261127L));
        long[] linear = histogram(LinearWeightedScan.of(WEIGHTS), new SplittableRandom(20261127L));

        // 8 positive weights → 7 degrees of freedom; the tables give 24.322 at p = 0.001
        double critical = chiSquareCritical(7);
        assertThat(critical).isCloseTo(24.32, within(0.3));
        assertThat(chiSquare(alias, WEIGHTS)).isLessThan(critical);
        assertThat(chiSquare(linear, WEIGHTS)).isLessThan(critical);
        assertThat(alias[1]).isZero();
        assertThat(alias[6]).isZero();

        // the test has power: the same draws fail against weights off by 2 % in one category
        double[] skewed = WEIGHTS.clone();
        skewed[4] = 10.2;
        assertThat(chiSquare(alias, skewed)).isGreaterThan(critical);
    }

    /** raw: 1–60 weights in [0, 1e6]; zeroOrTiny: 1–60 kinds in 0..2; uniforms: 1–50 values in [0, 1). */
    private record ZeroWeightCase(List<Double> raw, List<Integer> zeroOrTiny, List<Double> uniforms) {
    }

    @Test
    void neverPicksAZeroWeightIndex() {
        SeededGen.forEachCase(0x5EED_A11A_0001L, CASES, gen -> new ZeroWeightCase(
                        gen.list(1, 60, () -> gen.decimal(0, 1e6)),
                        gen.list(1, 60, () -> gen.integer(0, 2)),
                        gen.list(1, 50, gen::unit)),
                AliasSamplerTest::neverPicksAZeroWeightIndex);
    }

    private static void neverPicksAZeroWeightIndex(ZeroWeightCase c) {
        List<Double> raw = c.raw();
        List<Integer> zeroOrTiny = c.zeroOrTiny();
        double[] weights = new double[raw.size()];
        for (int i = 0; i < weights.length; i++) {
            int kind = zeroOrTiny.get(i % zeroOrTiny.size());
            weights[i] = kind == 0 ? 0 : kind == 1 ? raw.get(i) * 1e-300 : raw.get(i);
        }
        weights[weights.length - 1] += 1;
        AliasSampler sampler = AliasSampler.of(weights);

        for (double u1 : c.uniforms()) {
            for (double u2 : c.uniforms()) {
                assertThat(weights[sampler.pick(u1, u2)]).isPositive();
            }
        }
    }

    @Test
    void theTableGivesEveryIndexExactlyItsShare() {
        // raw: 1–200 weights in [0, 1000]
        SeededGen.forEachCase(0x5EED_A11A_0002L, CASES, gen -> gen.list(1, 200, () -> gen.decimal(0, 1000)),
                AliasSamplerTest::theTableGivesEveryIndexExactlyItsShare);
    }

    private static void theTableGivesEveryIndexExactlyItsShare(List<Double> raw) {
        double[] weights = raw.stream().mapToDouble(Double::doubleValue).toArray();
        weights[0] += 0.5;
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        AliasSampler sampler = AliasSampler.of(weights);

        for (int i = 0; i < weights.length; i++) {
            assertThat(sampler.probability(i)).isCloseTo(weights[i] / total, within(1e-9));
        }
    }

    @Test
    void rejectsWeightsItCannotSampleFrom() {
        assertThatThrownBy(() -> AliasSampler.of()).hasMessageContaining("at least one weight");
        assertThatThrownBy(() -> AliasSampler.of(1, -1)).hasMessageContaining("weights[1] must be finite and non-negative");
        assertThatThrownBy(() -> AliasSampler.of(Double.NaN)).hasMessageContaining("weights[0]");
        assertThatThrownBy(() -> LinearWeightedScan.of(0, 0)).hasMessageContaining("positive, finite total");
    }

    private static long[] histogram(WeightedSampler sampler, SplittableRandom random) {
        long[] counts = new long[sampler.size()];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.pick(random)]++;
        }
        return counts;
    }

    /** Pearson's statistic over the positive-weight categories, expected counts DRAWS · w / Σ w. */
    private static double chiSquare(long[] counts, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double statistic = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                double expected = DRAWS * weights[i] / total;
                statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
        }
        return statistic;
    }

    /**
     * Upper 0.1 % point of χ² with {@code df} degrees of freedom by Wilson–Hilferty:
     * {@code df · (1 − 2/(9 df) + z · √(2/(9 df)))³} with z = 3.090232, the normal's upper 0.1 % point. For df = 7:
     * 2/63 = 0.031746, √ = 0.178174, 1 − 0.031746 + 0.550600 = 1.518854, cubed 3.503870, × 7 = 24.527 (tables: 24.322,
     * so it errs on the lenient side by under 1 %).
     */
    private static double chiSquareCritical(int df) {
        double z = 3.090232;
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }

    /**
     * Runs {@code property} on {@link #CASES} cases, each generated from its own seed drawn from {@code masterSeed};
     * a failure names the case's index, its seed and the generated values.
     */
}
