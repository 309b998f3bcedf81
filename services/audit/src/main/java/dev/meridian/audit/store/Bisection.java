package dev.meridian.audit.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds the items of a batch a store refuses for their content: try the whole, and where that fails, each half, down
 * to single items. k bad items among n cost O(k·log n) attempts; a batch without any costs the one attempt it always
 * did. Pure: the attempt (one savepoint each, in the writer) is passed in.
 */
final class Bisection {

    /** Stores {@code items}, or throws leaving nothing of them stored. */
    @FunctionalInterface
    interface Attempt<T> {
        void store(List<T> items) throws SQLException;
    }

    /** An item the store refused, and its answer. */
    record Refused<T>(T item, SQLException cause) {
    }

    private Bisection() {
    }

    /**
     * Stores every item the store takes and returns the others.
     *
     * @param refusesContent whether a failure is the items' fault (then they are split); any other failure (the
     *                       connection, the server) is thrown at once, for the caller to retry the whole batch
     */
    static <T> List<Refused<T>> storeAllBut(List<T> items, Attempt<T> attempt, Predicate<SQLException> refusesContent)
            throws SQLException {
        List<Refused<T>> refused = new ArrayList<>();
        split(items, attempt, refusesContent, refused);
        return refused;
    }

    private static <T> void split(List<T> items, Attempt<T> attempt, Predicate<SQLException> refusesContent,
            List<Refused<T>> refused) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try {
            attempt.store(items);
        } catch (SQLException e) {
            if (!refusesContent.test(e)) {
                throw e;
            }
            if (items.size() == 1) {
                refused.add(new Refused<>(items.get(0), e));
                return;
            }
            int half = items.size() / 2;
            split(items.subList(0, half), attempt, refusesContent, refused);
            split(items.subList(half, items.size()), attempt, refusesContent, refused);
        }
    }
}
