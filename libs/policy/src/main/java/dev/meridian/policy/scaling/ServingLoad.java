package dev.meridian.policy.scaling;

import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.metrics.PoolUtilization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A window's load on the serving nodes, which is what the scaling rules judge (see {@link ScalingPolicy} on why warm
 * nodes are left out).
 *
 * @param value       average load over the serving nodes measured, percent
 * @param measured    how many serving nodes it was measured on
 * @param warmLeftOut READY warm nodes left out of the average
 */
record ServingLoad(double value, int measured, int warmLeftOut) {

    /** Absorbs binary rounding in ceil(measured · load / target), e.g. 3 × 70 / 60 must not become 3.5000000001. */
    private static final double CEIL_TOLERANCE = 1e-9;

    /** Null when no serving node was measured: such a window is neither hot nor cold. */
    static ServingLoad of(PoolUtilization window, CapacityLedger ledger) {
        List<PoolNode> measured = ledger.servingReady().stream()
                .filter(node -> node.measuredBy(window.windowEnd()))
                .toList();
        int warm = ledger.warmReportingCount();
        if (warm == 0) {
            // Every node the window averaged over serves (or drains): its average is the serving average.
            return measured.isEmpty() ? null : new ServingLoad(window.load(), measured.size(), 0);
        }
        double[] loads = measured.stream().map(PoolNode::load).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).toArray();
        if (loads.length == 0) {
            return null;
        }
        double sum = 0;
        for (double load : loads) {
            sum += load;
        }
        return new ServingLoad(sum / loads.length, loads.length, warm);
    }

    /** What the load is a load of, as reasons name it. */
    static String name(Tier tier) {
        return tier == Tier.EDGE_CPU ? "cpu" : "gpu";
    }

    /** The load measured, spread over nodes loaded at {@code target} percent: ceil(measured · value / target). */
    int nodesAt(double target) {
        return (int) Math.ceil(measured * value / target - CEIL_TOLERANCE);
    }

    /** Empty in the common case: every serving node measured, no warm node in the pool. */
    String note(int ready) {
        List<String> parts = new ArrayList<>();
        if (warmLeftOut > 0) {
            parts.add("serving nodes only, " + warmLeftOut + " warm left out");
        }
        if (measured < ready) {
            parts.add("measured on " + measured + " of " + ready + " ready");
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }
}
