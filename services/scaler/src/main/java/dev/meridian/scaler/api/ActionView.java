package dev.meridian.scaler.api;

import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.scaler.messaging.ActionLedger;
import java.time.Instant;

/**
 * An action as the API reports it.
 *
 * @param status    {@code PENDING} until the scaler has taken it up, then {@code APPLIED} or {@code REJECTED}
 * @param reason    why it was rejected
 * @param decidedAt when the scaler took it up
 */
public record ActionView(String actionId, String status, String reason, OperatorAction action, Instant decidedAt) {

    static ActionView of(ActionLedger.Entry entry) {
        return entry.result()
                .map(result -> new ActionView(entry.action().actionId(), result.status().name(), result.reason(),
                        entry.action(), result.decidedAt()))
                .orElse(new ActionView(entry.action().actionId(), "PENDING", null, entry.action(), null));
    }
}
