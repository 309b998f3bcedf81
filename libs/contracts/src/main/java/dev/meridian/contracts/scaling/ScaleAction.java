package dev.meridian.contracts.scaling;

/**
 * What a {@link ScaleCommand} asks for. {@code DEFERRED} records a scale-out the budget gate held back;
 * the held-back action is in {@link ScaleCommand#deferredAction()}.
 */
public enum ScaleAction {
    SCALE_OUT, ACTIVATE_WARM, DRAIN, SCALE_IN, RESIZE, REPLACE, DEFERRED
}
