package dev.meridian.registry.config;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row change as FleetConfig applied it.
 *
 * <p>A truncate arrives as one change per row it removed from the view, with that row as {@code before}.
 *
 * @param actor         the login that made the change, as PostgreSQL authenticated it (see the registry README), or
 *                      {@link #UNATTRIBUTED} when the change log never named one in time
 * @param declaredActor the name the client declared for itself ({@code meridian.actor}, else {@code application_name}),
 *                      when it declared one: a detail anybody can write, never who made the change
 * @param committedAt   commit time in the database
 * @param transactionId PostgreSQL transaction id (32-bit xid) of the change
 */
public record FleetChange<T>(
        ConfigTable table,
        ChangeOp op,
        Optional<T> before,
        Optional<T> after,
        String actor,
        Optional<String> declaredActor,
        Instant committedAt,
        long transactionId) {

    public static final String UNATTRIBUTED = "unattributed";

    public FleetChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(declaredActor, "declaredActor");
        Objects.requireNonNull(committedAt, "committedAt");
    }

    /** This change typed as {@code type} when it is a change of that row type. */
    @SuppressWarnings("unchecked")
    public <R> Optional<FleetChange<R>> as(Class<R> type) {
        return table.rowType() == type ? Optional.of((FleetChange<R>) this) : Optional.empty();
    }
}
