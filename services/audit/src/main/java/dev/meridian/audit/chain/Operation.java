package dev.meridian.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.auditproof.Canonical;
import dev.meridian.contracts.validation.Checks;
import java.time.Instant;
import java.util.Objects;

/**
 * An operation as the chainer records it, before it has a place in a chain: what {@link OperationMapper} makes of an
 * event, and what the audit service publishes about itself (reads, retention runs) on
 * {@code meridian.audit.operations.v1}.
 *
 * @param id       the event's {@code ce_id}: the audit record's id, and the chainer's de-duplication key
 * @param time     when it happened (microseconds, as PostgreSQL keeps it)
 * @param region   the chain it belongs to
 * @param payload  the original event (or, for the audit's own operations, who read what)
 */
public record Operation(String id, Instant time, String region, String actor, String action, String resource,
        String source, String type, JsonNode payload) {

    /**
     * Payload field of a registry change: the name the client declared for itself ({@code meridian.actor}, else
     * {@code application_name}), kept as a detail; the actor is the login.
     */
    public static final String DECLARED_ACTOR = "declaredActor";

    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(region, "region");
        time = Canonical.truncate(time);
        // The audit record refuses blank or over-long fields; a chainer that threw here would stop every chain.
        id = clip(id, Checks.MAX_ID_LENGTH);
        region = clip(region, Checks.MAX_ID_LENGTH);
        actor = actor == null ? null : clip(actor, Checks.MAX_TEXT_LENGTH);
        action = clip(action, Checks.MAX_ID_LENGTH);
        resource = clip(resource, Checks.MAX_TEXT_LENGTH);
        source = clip(source, Checks.MAX_TEXT_LENGTH);
        type = clip(type, Checks.MAX_ID_LENGTH);
        payload = payload == null || payload.isNull() ? JsonNodeFactory.instance.objectNode() : payload.deepCopy();
    }

    /**
     * Non-blank, at most {@code max} characters, control characters made printable: the chainer writes through the
     * contract's validating serializer, and a header or registry value it refused would abort every transaction.
     */
    private static String clip(String value, int max) {
        return value == null || value.isBlank() ? "unknown" : Checks.printable(value, max);
    }

    public Operation withActor(String newActor) {
        return new Operation(id, time, region, newActor, action, resource, source, type, payload);
    }

    /**
     * This operation by {@code newActor}, with {@code declaredActor} (when not null) in the payload as
     * {@value #DECLARED_ACTOR}: what the client said about itself is a detail, never the actor.
     */
    public Operation attributedTo(String newActor, String declaredActor) {
        if (declaredActor == null || declaredActor.isBlank() || !(payload instanceof ObjectNode object)) {
            return withActor(newActor);
        }
        ObjectNode details = object.deepCopy();
        details.put(DECLARED_ACTOR, Checks.printable(declaredActor, Checks.MAX_ID_LENGTH));
        return new Operation(id, time, region, newActor, action, resource, source, type, details);
    }
}
