package dev.meridian.policy.scaling;

import static dev.meridian.policy.scaling.Figures.num;

import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScalePurpose;
import dev.meridian.policy.scaling.PoolScalingState.DrainingNode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Shrinks a pool that stayed cold for the whole stabilization window: the idlest nodes are drained at once, so they
 * stop taking traffic, and removed by one SCALE_IN after the drain period (see {@link DrainCompletion}).
 */
final class ScaleIn {

    private final PoolConfig pool;
    private final ScalingSettings settings;
    private final CapacityLedger ledger;
    private final WindowHistory history;
    private final CommandLog log;
    private final Instant now;

    ScaleIn(PoolConfig pool, CapacityLedger ledger, WindowHistory history, CommandLog log, Instant now) {
        this.pool = pool;
        this.settings = pool.settings();
        this.ledger = ledger;
        this.history = history;
        this.log = log;
        this.now = now;
    }

    static boolean isCold(ServingLoad load, ScalingSettings settings) {
        return load != null && load.value() < settings.scaleInUtilization();
    }

    void decide(PoolUtilization window, ServingLoad load) {
        // Shrinking while capacity is on its way would contradict the request that is still in flight.
        if (!history.stablyCold(window.windowEnd(), settings.stabilization())
                || history.coolingDown(window.windowEnd(), settings.cooldown()) || ledger.pendingServing() > 0) {
            return;
        }
        List<PoolNode> ready = ledger.servingReady();
        int raw = load.nodesAt(settings.targetUtilization());
        int desired = Math.max(pool.minSize(), Math.max(raw, ready.size() - settings.maxStep()));
        if (desired >= ready.size()) {
            return;
        }
        List<String> victims = ready.stream()
                .sorted(Comparator.comparingDouble((PoolNode node) -> node.load() == null ? 0 : node.load())
                        .thenComparing(PoolNode::nodeId))
                .limit(ready.size() - desired)
                .map(PoolNode::nodeId)
                .sorted()
                .toList();
        String origin = window.windowEnd().toString();
        String drainId = log.id(ScaleAction.DRAIN, origin);
        String bound = desired == raw ? "" : desired == pool.minSize() ? "; bounded by min " + pool.minSize()
                : "; bounded by step " + settings.maxStep();
        log.emit(ScaleAction.DRAIN, drainId, window.windowEnd(), ready.size(), desired, ScalePurpose.SERVE, null,
                pool.capacityType(), victims, ServingLoad.name(pool.tier()) + " " + num(load.value()) + " % < "
                        + num(settings.scaleInUtilization()) + " % for " + history.cold().windows()
                        + " windows since " + history.cold().since() + load.note(ready.size()) + "; desired ceil("
                        + load.measured() + " × " + num(load.value()) + " / " + num(settings.targetUtilization())
                        + ") = " + raw + bound + "; drain idlest " + String.join(", ", victims) + ", SCALE_IN after "
                        + settings.drainPeriod());
        Instant deadline = now.plus(settings.drainPeriod());
        victims.forEach(id -> ledger.drain(new DrainingNode(id, origin, drainId, deadline, false)));
        history.restartCold();
    }
}
