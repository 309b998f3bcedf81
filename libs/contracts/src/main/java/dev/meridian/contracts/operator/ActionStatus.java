package dev.meridian.contracts.operator;

/** What the scaler made of an {@link OperatorAction}. */
public enum ActionStatus {
    APPLIED, REJECTED
}
