package dev.meridian.scaler.api;

import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionOverride;
import java.time.Instant;

/**
 * The body of {@code POST /v1/actions}: an {@code OperatorAction} without what the service sets itself (id, actor
 * from the token, time). See the contract for which fields each kind takes.
 */
public record ActionRequest(ActionKind kind, String region, String pool, String nodeId, Integer nodes, Instant until,
        ActionOverride override, String reason) {
}
