package dev.meridian.policy.scaling;

import dev.meridian.contracts.scaling.ScaleCommand;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of one decision: the state to store and the commands to publish, in publication order.
 *
 * @param nextCheckAt the earliest deadline in {@code state} (a due SCALE_IN, an expiring request or resize) or end
 *                    of an operator's hold ({@link OperatorHolds#nextExpiry()}), so the service can schedule a
 *                    punctuation instead of polling; null when nothing is waiting
 */
public record Outcome(PoolScalingState state, List<ScaleCommand> commands, Instant nextCheckAt) {

    public Outcome {
        Objects.requireNonNull(state, "state");
        commands = List.copyOf(commands);
    }
}
