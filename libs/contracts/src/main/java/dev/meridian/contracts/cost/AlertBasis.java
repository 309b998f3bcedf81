package dev.meridian.contracts.cost;

/** Whether an alert fired on spend so far or on the month-end forecast. */
public enum AlertBasis {
    ACTUAL, FORECAST
}
