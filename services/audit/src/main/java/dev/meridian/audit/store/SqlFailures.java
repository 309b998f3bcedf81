package dev.meridian.audit.store;

import java.sql.SQLException;

/** Which PostgreSQL failures are a row's fault, and which the server's or the network's. */
final class SqlFailures {

    static final String UNIQUE_VIOLATION = "23505";

    private SqlFailures() {
    }

    /**
     * Whether PostgreSQL refused a row for what it contains — data exceptions (class 22: a NUL in text or in
     * jsonb, an invalid value), integrity violations other than a duplicate key (class 23: no partition
     * for its time, a check), program limits (class 54: an index row over the size limit). Retrying such a batch
     * fails the same way forever; anything else (connection lost, server restarting, lock or serialization failure,
     * out of disk) may pass on a retry.
     */
    static boolean refusesContent(SQLException e) {
        String state = e.getSQLState();
        if (state == null || state.length() != 5 || UNIQUE_VIOLATION.equals(state)) {
            return false;
        }
        String sqlClass = state.substring(0, 2);
        return sqlClass.equals("22") || sqlClass.equals("23") || sqlClass.equals("54");
    }
}
