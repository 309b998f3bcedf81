package dev.meridian.policy.scaling;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import dev.meridian.policy.scaling.PoolScalingState.Purpose;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Answers a spot interruption before the node is reclaimed: DRAIN it now and REPLACE it with a node of the same
 * purpose. Neither is gated by the budget: the replacement only restores what the pool already paid for.
 */
final class SpotInterruptions {

    private final PoolConfig pool;
    private final CapacityLedger ledger;
    private final CommandLog log;
    private final Instant now;

    SpotInterruptions(PoolConfig pool, CapacityLedger ledger, CommandLog log, Instant now) {
        this.pool = pool;
        this.ledger = ledger;
        this.log = log;
        this.now = now;
    }

    /** A notice for a node that is gone, not ready or already draining was answered before, or needs no answer. */
    void respond(List<Interruption> interruptions) {
        List<Interruption> notices = interruptions.stream()
                .sorted(Comparator.comparing(Interruption::noticeAt).thenComparing(Interruption::nodeId))
                .toList();
        for (Interruption notice : notices) {
            PoolNode node = ledger.presentNode(notice.nodeId());
            if (node != null && node.ready() && !ledger.isDraining(node.nodeId())) {
                respond(notice, node);
            }
        }
    }

    private void respond(Interruption notice, PoolNode node) {
        boolean warm = ledger.isWarm(node);
        ScalePurpose purpose = warm ? ScalePurpose.WARM_POOL : ScalePurpose.SERVE;
        String origin = node.nodeId() + "/" + notice.noticeAt();
        String drainId = log.id(ScaleAction.DRAIN, origin);
        int beforeDrain = warm ? ledger.warmCapacity() : ledger.servingCapacity();
        // The node must be gone before the provider reclaims it, even when that is sooner than a full drain.
        Instant drainEnd = now.plus(pool.settings().drainPeriod());
        ledger.drain(new DrainingNode(node.nodeId(), origin, drainId,
                drainEnd.isBefore(notice.deadline()) ? drainEnd : notice.deadline(), false));
        int afterDrain = warm ? ledger.warmCapacity() : ledger.servingCapacity();
        String what = (warm ? "warm" : "serving") + " spot node " + node.nodeId();
        log.emit(ScaleAction.DRAIN, drainId, null, beforeDrain, afterDrain, purpose, node.instanceType(),
                node.capacityType(), List.of(node.nodeId()), "interruption notice for " + what + " at "
                        + notice.noticeAt() + ", reclaimed at " + notice.deadline() + " (" + notice.source()
                        + "): drain at once");
        CapacityType replacement = pool.spotFallback() ? CapacityType.ON_DEMAND : node.capacityType();
        String replaceId = log.emit(ScaleAction.REPLACE, log.id(ScaleAction.REPLACE, origin), null, afterDrain,
                afterDrain + 1, purpose, node.instanceType(), replacement, List.of(node.nodeId()),
                "replace interrupted " + what + " with " + replacement
                        + (pool.spotFallback() ? " (spot fallback allowed)" : " (no spot fallback)"));
        ledger.request(replaceId, warm ? Purpose.WARM : Purpose.SERVE, 1);
    }
}
