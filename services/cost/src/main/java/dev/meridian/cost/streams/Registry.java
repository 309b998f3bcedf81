package dev.meridian.cost.streams;

import dev.meridian.registry.config.FleetSnapshot;
import java.time.Duration;

/** The registry as the topology reads it: the FleetConfig view in the service, a fixed snapshot in tests. */
public interface Registry {

    FleetSnapshot current();

    /** Waits until the view has caught up with the registry topics; false when the timeout passed first. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException;

    static Registry fixed(FleetSnapshot snapshot) {
        return new Registry() {
            @Override
            public FleetSnapshot current() {
                return snapshot;
            }

            @Override
            public boolean awaitCaughtUp(Duration timeout) {
                return true;
            }
        };
    }
}
