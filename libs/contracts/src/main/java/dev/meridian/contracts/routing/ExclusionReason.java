package dev.meridian.contracts.routing;

/**
 * Why a region or node gets no traffic; published so operators can see why a weight is missing. {@code CORDONED}: an
 * operator's CORDON holds the node out of routing (it keeps running) until an UNCORDON.
 */
public enum ExclusionReason {
    OUTSIDE_RESIDENCY, UNKNOWN_REGION, UNKNOWN_ZONE, MISSING_LATENCY, STALE, SATURATED, DRAINING, INTERRUPTED, LEFT,
    CORDONED
}
