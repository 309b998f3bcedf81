package dev.meridian.scheduler.messaging;

import dev.meridian.policy.routing.Decision;

/** What the decision loop counts, per weights version and why it was published; Micrometer in the service. */
public interface SchedulerMetrics {

    /** A version's transaction committed: it is served and damped against from now on. */
    void weightsPublished(Decision.Cause cause);

    /** A version's round could not be written; the next round retries it with the same number. */
    void weightsFailed(Decision.Cause cause);
}
