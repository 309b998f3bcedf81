package dev.meridian.contracts.operator;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * What the scaler made of an {@link OperatorAction} ({@code meridian.operator.action-results.v1}, key actionId):
 * APPLIED, or REJECTED with the reason (the pool or node is gone, the size is outside the pool's bounds by now).
 *
 * @param action    the action as it was requested (actor included)
 * @param status    APPLIED or REJECTED
 * @param reason    why it was rejected; null when applied
 * @param decidedAt when the scaler took it up
 */
public record ActionResult(
        @JsonProperty(required = true) OperatorAction action,
        @JsonProperty(required = true) ActionStatus status,
        String reason,
        @JsonProperty(required = true) Instant decidedAt) implements Validated {

    public static ActionResult applied(OperatorAction action, Instant at) {
        return new ActionResult(action, ActionStatus.APPLIED, null, at);
    }

    public static ActionResult rejected(OperatorAction action, String reason, Instant at) {
        return new ActionResult(action, ActionStatus.REJECTED, Checks.printable(reason, Checks.MAX_TEXT_LENGTH), at);
    }

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .nested("action", action)
                .required("status", status)
                .rule((status == ActionStatus.REJECTED) == (reason != null && !reason.isBlank()), "reason",
                        Checks.CONSISTENCY, () -> "a rejection, and only a rejection, has a reason")
                .optionalText("reason", reason, Checks.MAX_TEXT_LENGTH)
                .required("decidedAt", decidedAt)
                .result();
    }
}
