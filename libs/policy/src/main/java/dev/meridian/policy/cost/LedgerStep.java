package dev.meridian.policy.cost;

import dev.meridian.contracts.cost.SpendAggregate;
import java.time.Instant;
import java.util.List;

/**
 * The result of one {@link CostLedger} step.
 *
 * @param ledger    the next ledger
 * @param at        the step's {@code now}: the aggregates' {@code computedAt}
 * @param changed   buckets whose aggregate changed or became final in this step, by id; publish each
 * @param finalized ids among {@code changed} that will never change again (the service may move them out of its
 *                  open-hours store)
 * @param gaps      node time that could not be charged exactly, by node and start
 */
public record LedgerStep(CostLedger ledger, Instant at, List<SpendBucket> changed, List<String> finalized,
        List<AccrualGap> gaps) {

    public LedgerStep {
        changed = List.copyOf(changed);
        finalized = List.copyOf(finalized);
        gaps = List.copyOf(gaps);
    }

    /** The {@code meridian.cost.spend.v1} records of this step, by id. */
    public List<SpendAggregate> aggregates() {
        return changed.stream().map(bucket -> bucket.toAggregate(at)).toList();
    }

    /** Spot savings of the changed spot buckets, for the efficiency view. */
    public List<CostLine> spotSavings() {
        return changed.stream().filter(SpendBucket::spot).map(SpendBucket::spotSavingsLine).toList();
    }
}
