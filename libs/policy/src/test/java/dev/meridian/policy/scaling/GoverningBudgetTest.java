package dev.meridian.policy.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoverningBudgetTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final Map<String, String> GPU_CORE_TAGS = Map.of("pool", "gpu-core", "tier", "CORE_GPU",
            "capacityType", "ON_DEMAND", "team", "search");

    @Test
    void theMostSevereCoveringScopeGoverns() {
        List<BudgetStatus> statuses = List.of(status("global", "2026-11", BudgetState.OK),
                status("team:search", "2026-11", BudgetState.WARN),
                status("region:us-east", "2026-11", BudgetState.OK));

        assertThat(GoverningBudget.of(statuses, "us-east", GPU_CORE_TAGS, NOW)).isEqualTo(BudgetState.WARN);
    }

    @Test
    void scopesOfOtherRegionsAndTagsDoNotGovern() {
        List<BudgetStatus> statuses = List.of(status("region:eu-west", "2026-11", BudgetState.EXCEEDED),
                status("team:ads", "2026-11", BudgetState.CRITICAL),
                status("pool:gpu-core", "2026-11", BudgetState.WARN));

        assertThat(GoverningBudget.of(statuses, "us-east", GPU_CORE_TAGS, NOW)).isEqualTo(BudgetState.WARN);
        assertThat(GoverningBudget.of(statuses, "us-east", Map.of("pool", "cpu-edge"), NOW)).isEqualTo(BudgetState.OK);
    }

    @Test
    void lastMonthsStatusNoLongerHoldsGrowthBack() {
        List<BudgetStatus> statuses = List.of(status("global", "2026-10", BudgetState.EXCEEDED));

        assertThat(GoverningBudget.of(statuses, "us-east", GPU_CORE_TAGS, NOW)).isEqualTo(BudgetState.OK);
        assertThat(GoverningBudget.of(statuses, "us-east", GPU_CORE_TAGS, Instant.parse("2026-10-31T23:59:59Z")))
                .isEqualTo(BudgetState.EXCEEDED);
    }

    @Test
    void anUnparseableScopeIsIgnored() {
        assertThat(GoverningBudget.of(List.of(status("nonsense", "2026-11", BudgetState.EXCEEDED)), "us-east",
                GPU_CORE_TAGS, NOW)).isEqualTo(BudgetState.OK);
    }

    private static BudgetStatus status(String scope, String month, BudgetState state) {
        return new BudgetStatus(scope, month, new BigDecimal("1000"), new BigDecimal("900"), null, "USD", state, 90,
                List.of(50, 80), NOW);
    }
}
