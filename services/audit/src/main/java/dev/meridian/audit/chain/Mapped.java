package dev.meridian.audit.chain;

/**
 * What {@link OperationMapper} made of one input record.
 *
 * @param kind      what the processor does with it
 * @param operation the operation, when there is one
 * @param key       for {@link Kind#BUDGET_STATE}: the budget scope; for the registry kinds: the transaction id
 * @param detail    for {@link Kind#BUDGET_STATE}: the state; for {@link Kind#REGISTRY_STATEMENT}: the actor (the
 *                  login); for {@link Kind#DROP}: why
 * @param declaredActor for {@link Kind#REGISTRY_STATEMENT}: the name the client declared, a detail; else null
 */
public record Mapped(Kind kind, Operation operation, String key, String detail, String declaredActor) {

    Mapped(Kind kind, Operation operation, String key, String detail) {
        this(kind, operation, key, detail, null);
    }

    public enum Kind {
        /** Record it. */
        OPERATION,
        /** Record it if the scope's state differs from the last one seen. */
        BUDGET_STATE,
        /** A registry delete or truncate: record it once its transaction's actor is known. */
        REGISTRY_AWAITING_ACTOR,
        /** A change_log entry: names the actor (and the declared name) of its transaction's deletes and truncates. */
        REGISTRY_STATEMENT,
        /** Not an operation (heartbeat, snapshot read, tombstone) or not readable. */
        DROP
    }

    static Mapped operation(Operation operation) {
        return new Mapped(Kind.OPERATION, operation, null, null);
    }

    static Mapped drop(String why) {
        return new Mapped(Kind.DROP, null, null, why);
    }
}
