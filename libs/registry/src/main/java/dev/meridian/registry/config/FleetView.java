package dev.meridian.registry.config;

import java.time.Duration;

/**
 * The registry as a decision reads it: the latest snapshot, and whether it has caught up with the registry topics.
 * {@link FleetConfig} follows the topics; tests and the what-if hand in a {@link #fixed} snapshot.
 */
public interface FleetView {

    /** The latest consistent view; several lookups on one snapshot agree with each other. */
    FleetSnapshot current();

    /** True once everything that was on the registry topics at start has been applied. */
    boolean isCaughtUp();

    /** Waits until {@link #isCaughtUp()}; false when the timeout passed first. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException;

    /** A registry that never changes, caught up from the start. */
    static FleetView fixed(FleetSnapshot snapshot) {
        return new FleetView() {
            @Override
            public FleetSnapshot current() {
                return snapshot;
            }

            @Override
            public boolean isCaughtUp() {
                return true;
            }

            @Override
            public boolean awaitCaughtUp(Duration timeout) {
                return true;
            }
        };
    }
}
