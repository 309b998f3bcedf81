package dev.meridian.policy.scaling;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.policy.cost.BudgetScope;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * The budget state that gates one pool's growth: the most severe state among this month's budget statuses whose
 * scope covers the pool ({@code global}, its {@code region:<region>}, or one of its tags such as {@code team:search}
 * or {@code pool:gpu-core}). A pool under a WARN team budget and an OK global one is WARN.
 *
 * <p>A status of another month is ignored: after the month rolls over, last month's EXCEEDED must not hold growth
 * back until the cost service publishes the new month. A scope that does not parse is ignored too; cost validates
 * scopes when it publishes them.
 */
public final class GoverningBudget {

    private GoverningBudget() {
    }

    /**
     * @param tags the pool's cost tags ({@code pool}, {@code tier}, {@code capacityType} and its registry tags)
     * @param now  decides the month, UTC
     */
    public static BudgetState of(Collection<BudgetStatus> statuses, String region, Map<String, String> tags,
            Instant now) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(tags, "tags");
        String month = YearMonth.from(now.atZone(ZoneOffset.UTC)).toString();
        BudgetState governing = BudgetState.OK;
        for (BudgetStatus status : statuses) {
            if (status.month().equals(month) && covers(status.scope(), region, tags)
                    && status.state().compareTo(governing) > 0) {
                governing = status.state();
            }
        }
        return governing;
    }

    private static boolean covers(String scope, String region, Map<String, String> tags) {
        try {
            return BudgetScope.parse(scope).matches(region, tags);
        } catch (IllegalArgumentException unparseable) {
            return false;
        }
    }
}
