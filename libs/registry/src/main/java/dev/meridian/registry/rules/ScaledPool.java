package dev.meridian.registry.rules;

import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.policy.scaling.OperatorHolds;
import dev.meridian.policy.scaling.PoolConfig;
import dev.meridian.policy.scaling.PoolNode;
import dev.meridian.policy.scaling.PoolSnapshot;
import dev.meridian.registry.config.NodePool;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A registry pool as the scaling policy sees it.
 *
 * @param pool     the registry row
 * @param config   the service-wide settings with the pool's overrides on top
 * @param costTags the tags a budget scope may name for this pool, exactly as the cost service tags its spend
 */
public record ScaledPool(NodePool pool, PoolConfig config, Map<String, String> costTags) {

    /** What one decision for this pool looks at, governed by the budgets whose scope covers it. */
    public PoolSnapshot snapshot(PoolUtilization window, List<PoolNode> nodes, List<Interruption> interruptions,
            Collection<BudgetStatus> budgets, Instant now) {
        return snapshot(window, nodes, interruptions, budgets, now, OperatorHolds.NONE);
    }

    /** The same, under what operators' actions hold for the pool ({@link OperatorHolds#NONE} for nothing). */
    public PoolSnapshot snapshot(PoolUtilization window, List<PoolNode> nodes, List<Interruption> interruptions,
            Collection<BudgetStatus> budgets, Instant now, OperatorHolds holds) {
        return PoolSnapshot.of(config, costTags, window, nodes, interruptions, budgets, now, holds);
    }
}
