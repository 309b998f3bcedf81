package dev.meridian.contracts.operator;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * An operator's action on one pool or node of a region ({@code meridian.operator.actions.v1}, compacted, key
 * {@link #key()}: one slot per pool and kind, one per node). The scaler and the scheduler consume it; the scaler
 * answers with an {@link ActionResult}.
 *
 * @param actionId    the action's id (a UUID the API gives it)
 * @param nodeId      the node of CORDON, UNCORDON and DRAIN; null otherwise
 * @param nodes       the size SCALE holds the pool at; null otherwise
 * @param until       when SCALE, PAUSE or OVERRIDE ends (then autoscaling resumes); required for SCALE and
 *                    OVERRIDE, optional for PAUSE (until a RESUME); null for the rest
 * @param override    the settings of OVERRIDE; null otherwise
 * @param actor       the authenticated operator (the verified token's name), never a field a client sends
 * @param reason      why, as the operator says it (optional)
 * @param requestedAt when the API accepted it
 */
public record OperatorAction(
        @JsonProperty(required = true) String actionId,
        @JsonProperty(required = true) ActionKind kind,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String pool,
        String nodeId,
        Integer nodes,
        Instant until,
        ActionOverride override,
        @JsonProperty(required = true) String actor,
        String reason,
        @JsonProperty(required = true) Instant requestedAt) implements Validated {

    /** The compacted topic's key: {@code region/pool/slot}, and {@code /nodeId} for a node's. */
    public String key() {
        String pool = region + "/" + this.pool + "/" + kind.slot();
        return kind.onNode() ? pool + "/" + nodeId : pool;
    }

    /** True while the action holds at {@code now}: no end, or an end still ahead. */
    public boolean activeAt(Instant now) {
        return until == null || now.isBefore(until);
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .id("actionId", actionId)
                .required("kind", kind)
                .id("region", region)
                .id("pool", pool)
                .id("actor", actor)
                .optionalText("reason", reason, Checks.MAX_TEXT_LENGTH)
                .required("requestedAt", requestedAt);
        if (kind == null) {
            return checks.result();
        }
        if (kind.onNode()) {
            checks.id("nodeId", nodeId);
        } else {
            checks.rule(nodeId == null, "nodeId", Checks.CONSISTENCY, () -> kind + " is an action on a pool, not a node");
        }
        checks.rule((kind == ActionKind.SCALE) == (nodes != null), "nodes", Checks.CONSISTENCY,
                () -> kind == ActionKind.SCALE ? "SCALE needs nodes" : kind + " takes no nodes");
        checks.rule(nodes == null || nodes >= 0, "nodes", Checks.NEGATIVE, () -> "nodes must not be negative");
        boolean needsUntil = kind == ActionKind.SCALE || kind == ActionKind.OVERRIDE;
        boolean mayHaveUntil = needsUntil || kind == ActionKind.PAUSE;
        checks.rule(!needsUntil || until != null, "until", Checks.REQUIRED, () -> kind + " needs until");
        checks.rule(mayHaveUntil || until == null, "until", Checks.CONSISTENCY, () -> kind + " takes no until");
        if (until != null && requestedAt != null) {
            checks.after("until", until, "requestedAt", requestedAt);
        }
        checks.rule((kind == ActionKind.OVERRIDE) == (override != null), "override", Checks.CONSISTENCY,
                () -> kind == ActionKind.OVERRIDE ? "OVERRIDE needs override" : kind + " takes no override");
        if (override != null) {
            checks.nested("override", override);
        }
        return checks.result();
    }
}
