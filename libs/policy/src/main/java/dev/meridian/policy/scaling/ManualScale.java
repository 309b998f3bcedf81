package dev.meridian.policy.scaling;

import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.OperatorHolds.ScaleHold;
import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import dev.meridian.policy.scaling.PoolScalingState.Purpose;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * An operator's SCALE: the pool's serving capacity is driven to the size asked for, once per action. Up: one
 * SCALE_OUT of the difference. Down: the idlest nodes are drained and removed by one SCALE_IN after the drain period,
 * as {@link ScaleIn} does; while serving capacity is still on its way it waits, since shrinking would contradict the
 * request in flight. Not gated by the budget (an operator's explicit decision; flagged over budget when the budget is
 * EXCEEDED), not bounded by max step, bounded by the registry's min..max of the pool, never by an operator override.
 */
final class ManualScale {

    private final PoolConfig bounds;
    private final PoolConfig pool;
    private final CapacityLedger ledger;
    private final CommandLog log;
    private final BudgetState budget;
    private final Instant now;

    /**
     * @param bounds the pool as the registry shapes it, whose min..max a manual size stays within
     * @param pool   the pool as this decision judges it
     */
    ManualScale(PoolConfig bounds, PoolConfig pool, CapacityLedger ledger, CommandLog log, BudgetState budget,
            Instant now) {
        this.bounds = bounds;
        this.pool = pool;
        this.ledger = ledger;
        this.log = log;
        this.budget = budget;
        this.now = now;
    }

    /**
     * @param hold    the SCALE in force, null for none
     * @param applied the SCALE the pool was already driven for ({@link PoolScalingState#appliedScale()})
     * @return the SCALE the pool has now been driven for: {@code hold}'s id once carried out, {@code applied} while
     *         it waits for capacity on its way, null without a hold
     */
    String drive(ScaleHold hold, String applied) {
        if (hold == null) {
            return null;
        }
        if (hold.actionId().equals(applied)) {
            return applied;
        }
        int ready = ledger.servingReady().size();
        int pendingServe = ledger.pendingServing();
        int current = ready + pendingServe;
        int target = Math.max(bounds.minSize(), Math.min(bounds.maxSize(), hold.nodes()));
        String basis = "operator " + hold.actor() + ": SCALE to " + hold.nodes() + " until " + hold.until()
                + " (action " + hold.actionId() + ")"
                + (target == hold.nodes() ? "" : ", bounded by the pool's " + bounds.minSize() + ".."
                        + bounds.maxSize() + " to " + target)
                + "; current " + current + " (" + ready + " ready + " + pendingServe + " pending)";
        String origin = "operator/" + hold.actionId();
        if (target > current) {
            String id = log.emitFor(hold.actor(), ScaleAction.SCALE_OUT, log.id(ScaleAction.SCALE_OUT, origin),
                    current, target, ScalePurpose.SERVE, ledger.poolType(), pool.capacityType(),
                    budget == BudgetState.EXCEEDED, List.of(), basis + "; provision " + (target - current)
                            + (budget == BudgetState.EXCEEDED ? "; budget EXCEEDED, not gated: an operator's size"
                                    : ""));
            ledger.request(id, Purpose.SERVE, target - current);
        } else if (target < current) {
            if (pendingServe > 0) {
                return applied;
            }
            List<String> victims = ledger.servingReady().stream()
                    .sorted(Comparator.comparingDouble((PoolNode node) -> node.load() == null ? 0 : node.load())
                            .thenComparing(PoolNode::nodeId))
                    .limit(current - target)
                    .map(PoolNode::nodeId)
                    .sorted()
                    .toList();
            String drainId = log.id(ScaleAction.DRAIN, origin);
            log.emitFor(hold.actor(), ScaleAction.DRAIN, drainId, current, target, ScalePurpose.SERVE, null,
                    pool.capacityType(), false, victims, basis + "; drain idlest " + String.join(", ", victims)
                            + ", SCALE_IN after " + pool.settings().drainPeriod());
            Instant deadline = now.plus(pool.settings().drainPeriod());
            victims.forEach(id -> ledger.drain(new DrainingNode(id, origin, drainId, deadline, false, hold.actor())));
        }
        return hold.actionId();
    }
}
