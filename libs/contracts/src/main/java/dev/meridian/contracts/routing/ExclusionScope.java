package dev.meridian.contracts.routing;

/** What an {@link Exclusion} removes from routing: a whole region or a single node. */
public enum ExclusionScope {
    REGION, NODE
}
