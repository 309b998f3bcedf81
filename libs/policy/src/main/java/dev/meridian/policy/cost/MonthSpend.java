package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.SpendAggregate;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Month-to-date spend of every budget scope, kept up as {@link SpendAggregate}s (local and mirrored) arrive: each
 * aggregate moves the totals of the scopes it matches by the difference to the version it replaces, so an update
 * costs O(budgets) rather than a re-sum of the month. The totals always equal {@link SpendRollup#total} over
 * {@link SpendRollup#latest} of what was applied (the property test checks it).
 *
 * <p>A mutable accumulator with one owner (the budget processor), like the window accumulators. Aggregates outside
 * the month are ignored; a version not newer than the one held (same order as {@link SpendRollup#latest}) too, so
 * replays and mirrored duplicates change nothing.
 */
public final class MonthSpend {

    /** Newer: later computedAt, then more node time, then larger amount (as {@link SpendRollup#latest}). */
    static final Comparator<SpendAggregate> NEWER = Comparator.comparing(SpendAggregate::computedAt)
            .thenComparingLong(SpendAggregate::nodeSeconds)
            .thenComparing(SpendAggregate::amount);

    private final BudgetMonth month;
    private final Map<String, SpendAggregate> latest = new HashMap<>();
    private final Map<String, Budget> budgets = new LinkedHashMap<>();
    private final Map<String, BigDecimal> totals = new HashMap<>();

    private MonthSpend(BudgetMonth month) {
        this.month = Objects.requireNonNull(month, "month");
    }

    public static MonthSpend of(BudgetMonth month, Collection<Budget> budgets) {
        MonthSpend spend = new MonthSpend(month);
        spend.budgets(budgets);
        return spend;
    }

    public BudgetMonth month() {
        return month;
    }

    /** The budgets whose totals are kept, by scope. */
    public List<Budget> budgets() {
        return List.copyOf(budgets.values());
    }

    /** Replaces the budgets (a registry change) and re-sums the month for them. */
    public void budgets(Collection<Budget> newBudgets) {
        budgets.clear();
        newBudgets.forEach(b -> budgets.put(b.scope().scope(), b));
        totals.clear();
        for (Budget budget : budgets.values()) {
            BigDecimal total = BigDecimal.ZERO;
            for (SpendAggregate aggregate : latest.values()) {
                total = total.add(contribution(budget, aggregate));
            }
            totals.put(budget.scope().scope(), total);
        }
    }

    /**
     * Counts one aggregate.
     *
     * @return true when it changed what is held: in this month and newer than the version held for its id
     */
    public boolean apply(SpendAggregate aggregate) {
        if (aggregate.hourStart().isBefore(month.start()) || !aggregate.hourStart().isBefore(month.end())) {
            return false;
        }
        SpendAggregate previous = latest.get(aggregate.id());
        if (previous != null && NEWER.compare(aggregate, previous) <= 0) {
            return false;
        }
        latest.put(aggregate.id(), aggregate);
        for (Budget budget : budgets.values()) {
            BigDecimal delta = contribution(budget, aggregate);
            if (previous != null) {
                delta = delta.subtract(contribution(budget, previous));
            }
            if (delta.signum() != 0) {
                totals.merge(budget.scope().scope(), delta, BigDecimal::add);
            }
        }
        return true;
    }

    /** Spend of {@code scope} this month in its budget's currency; zero for a scope without a budget. */
    public BigDecimal spent(String scope) {
        return totals.getOrDefault(scope, BigDecimal.ZERO);
    }

    /** Whether {@code candidate} replaces {@code held} (the order of {@link SpendRollup#latest}); true over null. */
    public static boolean newer(SpendAggregate candidate, SpendAggregate held) {
        return held == null || NEWER.compare(candidate, held) > 0;
    }

    /** Aggregates held (one per id). */
    public int size() {
        return latest.size();
    }

    private static BigDecimal contribution(Budget budget, SpendAggregate aggregate) {
        return budget.currency().equals(aggregate.currency())
                && budget.scope().matches(aggregate.region(), aggregate.tags()) ? aggregate.amount() : BigDecimal.ZERO;
    }
}
