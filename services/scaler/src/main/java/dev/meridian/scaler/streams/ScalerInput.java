package dev.meridian.scaler.streams;

import dev.meridian.contracts.fleet.FleetNode;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.metrics.NodeUtilization;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.operator.OperatorAction;

/**
 * One input of a pool's decision, keyed {@code region/pool}: exactly one field is set. The node-keyed topics are
 * re-keyed to their pool and repartitioned like the pool windows, so one task owns each pool's whole state.
 */
public record ScalerInput(PoolUtilization window, FleetNode node, NodeUtilization load, Interruption interruption,
        OperatorAction action) {

    public static ScalerInput of(PoolUtilization window) {
        return new ScalerInput(window, null, null, null, null);
    }

    public static ScalerInput of(FleetNode node) {
        return new ScalerInput(null, node, null, null, null);
    }

    public static ScalerInput of(NodeUtilization load) {
        return new ScalerInput(null, null, load, null, null);
    }

    public static ScalerInput of(Interruption interruption) {
        return new ScalerInput(null, null, null, interruption, null);
    }

    public static ScalerInput of(OperatorAction action) {
        return new ScalerInput(null, null, null, null, action);
    }
}
