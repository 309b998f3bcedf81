package dev.meridian.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.BudgetState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BudgetHysteresisPropertyTest {

    private static final BudgetPolicy POLICY = new BudgetPolicy(BudgetSettings.DEFAULTS);
    private static final Budget BUDGET = Budget.of("team:search", "1000", "USD");

    /** Once WARN, any spend within (78 %, 95 %) keeps it WARN: one change, whatever the noise. */
    @Test
    void noiseInsideTheHysteresisBandNeverChangesTheState() {
        // 200 seeded sequences of 1..50 spends between 780.01 and 949.99 (cents), the band's open interior.
        SplittableRandom random = new SplittableRandom(0x5EED_B0D6L);
        for (int sequence = 0; sequence < 200; sequence++) {
            Instant now = Instant.parse("2026-11-01T01:00:00Z");
            BudgetEvaluation evaluation = POLICY.evaluate(null, BUDGET, new BigDecimal("800"), now);
            assertThat(evaluation.track().state()).isEqualTo(BudgetState.WARN);
            int length = random.nextInt(1, 51);
            for (int i = 0; i < length; i++) {
                BigDecimal spent = BigDecimal.valueOf(random.nextLong(78_001, 95_000), 2);
                now = now.plusSeconds(60);
                evaluation = POLICY.evaluate(evaluation.track(), BUDGET, spent, now);
                assertThat(evaluation.track().state()).as("sequence %d, step %d, spent %s", sequence, i, spent)
                        .isEqualTo(BudgetState.WARN);
            }
        }
    }
}
