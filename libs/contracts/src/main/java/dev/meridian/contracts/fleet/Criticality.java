package dev.meridian.contracts.fleet;

/** A pool's criticality; a scale command's urgency is its pool's criticality, and the budget gate lets only the more critical pools grow as spend rises. */
public enum Criticality {
    CRITICAL, NORMAL, LOW
}
