package dev.meridian.cost.streams;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.scaling.ScaleCommand;

/** One accrual input on the by-region repartition topic: exactly one field is set. */
public record CostInput(FleetNode node, NodeUtilization window, ScaleCommand command) {

    public static CostInput of(FleetNode node) {
        return new CostInput(node, null, null);
    }

    public static CostInput of(NodeUtilization window) {
        return new CostInput(null, window, null);
    }

    public static CostInput of(ScaleCommand command) {
        return new CostInput(null, null, command);
    }
}
