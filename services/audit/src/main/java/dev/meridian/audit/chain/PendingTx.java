package dev.meridian.audit.chain;

import java.util.List;

/**
 * A registry transaction as far as the audit has seen it.
 *
 * @param actor        from the transaction's change_log entry (the login); null until it arrived
 * @param declaredActor from the same entry: the name the client declared, a detail; null when none
 * @param seenAtMillis wall-clock time of the first event of the transaction
 * @param waiting      deletes and truncates waiting for the actor
 */
public record PendingTx(String actor, String declaredActor, long seenAtMillis, List<Operation> waiting) {

    public PendingTx {
        waiting = waiting == null ? List.of() : List.copyOf(waiting);
    }
}
