package dev.meridian.contracts.operator;

/**
 * What an operator asks of one pool or one node of a region. Pool actions: {@code SCALE} (to a size, until a time),
 * {@code PAUSE} / {@code RESUME} (autoscaling), {@code OVERRIDE} (thresholds, sustain, min/max, until a time). Node
 * actions: {@code CORDON} / {@code UNCORDON} (out of routing, kept running), {@code DRAIN} (cordoned, then removed by
 * the next scale-in of its pool).
 */
public enum ActionKind {
    SCALE, PAUSE, RESUME, OVERRIDE, CORDON, UNCORDON, DRAIN;

    /** True for the actions on one node ({@code nodeId} required). */
    public boolean onNode() {
        return this == CORDON || this == UNCORDON || this == DRAIN;
    }

    /**
     * The actions a later one replaces, as one slot per pool or node: a RESUME ends a PAUSE, an UNCORDON a CORDON
     * or DRAIN. The slot is the compacted topic's key suffix ({@link OperatorAction#key()}).
     */
    public String slot() {
        return switch (this) {
            case SCALE -> "scale";
            case PAUSE, RESUME -> "pause";
            case OVERRIDE -> "override";
            case CORDON, UNCORDON, DRAIN -> "node";
        };
    }
}
