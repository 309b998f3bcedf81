package dev.meridian.policy.cost;

import java.time.Instant;

/**
 * Node time the ledger could not account exactly, for the service to count and log.
 *
 * @param kind NO_PRICE: no price held, nothing accrued; LATE_JOIN: the node started in an hour already
 *             finalized, that part is not charged; LATE_LEAVE: the node left in an hour already finalized, that
 *             part stays charged
 */
public record AccrualGap(String nodeId, Instant from, Instant to, Kind kind) {

    public enum Kind {
        NO_PRICE, LATE_JOIN, LATE_LEAVE
    }
}
