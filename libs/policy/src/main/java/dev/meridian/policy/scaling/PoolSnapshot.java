package dev.meridian.policy.scaling;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.metrics.PoolUtilization;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one decision for one pool looks at, as the scaler's stores hold it.
 *
 * @param window        the pool's newest window; null when the decision is driven by time or an interruption only.
 *                      A window not newer than the last one processed is ignored, so redelivery changes nothing
 * @param nodes         the pool's nodes from the inventory, in any order
 * @param interruptions spot interruption notices for the pool's nodes; each is acted on once, so the caller may pass
 *                      a notice again
 * @param budget        the budget state that governs this pool (the most severe of the scopes it falls under)
 * @param holds         what operators' actions hold for the pool, {@link OperatorHolds#NONE} when nothing; holds
 *                      that ended by the decision's {@code now} are dropped by the policy itself
 */
public record PoolSnapshot(PoolConfig config, PoolUtilization window, List<PoolNode> nodes,
        List<Interruption> interruptions, BudgetState budget, OperatorHolds holds) {

    public PoolSnapshot {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(holds, "holds");
        nodes = List.copyOf(nodes);
        interruptions = List.copyOf(interruptions);
        if (window != null && !(window.region().equals(config.region()) && window.pool().equals(config.pool()))) {
            throw new IllegalArgumentException("window of " + window.key() + " given for pool " + config.key());
        }
        for (Interruption notice : interruptions) {
            if (!(notice.region().equals(config.region()) && notice.pool().equals(config.pool()))) {
                throw new IllegalArgumentException("interruption of " + notice.nodeId() + " in " + notice.region()
                        + "/" + notice.pool() + " given for pool " + config.key());
            }
        }
        if (nodes.stream().map(PoolNode::nodeId).distinct().count() != nodes.size()) {
            throw new IllegalArgumentException(config.key() + ": a node is listed twice");
        }
    }

    /** A pool no operator action holds. */
    public PoolSnapshot(PoolConfig config, PoolUtilization window, List<PoolNode> nodes,
            List<Interruption> interruptions, BudgetState budget) {
        this(config, window, nodes, interruptions, budget, OperatorHolds.NONE);
    }

    /**
     * The snapshot the scaler and the what-if both decide on: the pool's budget is the most severe state of every
     * budget status whose scope covers the pool's region and cost tags ({@link GoverningBudget}).
     *
     * @param costTags the tags budget scopes name, exactly as the cost service tags the pool's spend
     */
    public static PoolSnapshot of(PoolConfig config, Map<String, String> costTags, PoolUtilization window,
            List<PoolNode> nodes, List<Interruption> interruptions, Collection<BudgetStatus> budgets, Instant now,
            OperatorHolds holds) {
        return new PoolSnapshot(config, window, nodes, interruptions,
                GoverningBudget.of(budgets, config.region(), costTags, now), holds);
    }

    /** {@link #of(PoolConfig, Map, PoolUtilization, List, List, Collection, Instant, OperatorHolds)} without holds. */
    public static PoolSnapshot of(PoolConfig config, Map<String, String> costTags, PoolUtilization window,
            List<PoolNode> nodes, List<Interruption> interruptions, Collection<BudgetStatus> budgets, Instant now) {
        return of(config, costTags, window, nodes, interruptions, budgets, now, OperatorHolds.NONE);
    }
}
