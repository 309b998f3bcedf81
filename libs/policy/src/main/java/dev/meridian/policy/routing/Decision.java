package dev.meridian.policy.routing;

import dev.meridian.contracts.routing.RoutingWeights;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link RoutingPolicy#decide} concluded: publish a version, or nothing to publish.
 *
 * <p>Either way {@link #nextCheckAt()} says when deciding again could publish even if no input arrives (the next
 * damped step, the heartbeat, or an input turning stale), so the scheduler can schedule its punctuation instead of
 * polling.
 */
public sealed interface Decision permits Decision.Publish, Decision.Hold {

    /** The undamped weights the decision was made from. */
    RoutingTargets targets();

    Instant nextCheckAt();

    /** The record to publish, if any. */
    default Optional<RoutingWeights> toPublish() {
        return this instanceof Publish publish ? Optional.of(publish.weights()) : Optional.empty();
    }

    /** Why a version is published. Every cause but HEARTBEAT is a new version, and an auditable operation. */
    enum Cause {
        /** No version was published before. */
        FIRST,
        /** An exclusion appeared or disappeared, or the set of eligible regions or nodes changed: published at once. */
        ELIGIBILITY_CHANGED,
        /** A damped step: some target moved away from the published weights by more than ε. */
        DAMPED_STEP,
        /** Nothing moved for a heartbeat interval: the current version again, {@code heartbeat = true}. */
        HEARTBEAT
    }

    /** Publish {@code weights}; already checked against {@link RoutingWeights#violations()}. */
    record Publish(RoutingWeights weights, Cause cause, RoutingTargets targets, Instant nextCheckAt)
            implements Decision {

        public Publish {
            Objects.requireNonNull(weights, "weights");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(targets, "targets");
            Objects.requireNonNull(nextCheckAt, "nextCheckAt");
        }
    }

    /** Nothing to publish: the published version still stands. */
    record Hold(RoutingTargets targets, Instant nextCheckAt) implements Decision {

        public Hold {
            Objects.requireNonNull(targets, "targets");
            Objects.requireNonNull(nextCheckAt, "nextCheckAt");
        }
    }
}
