package dev.meridian.service.security;

/**
 * The roles of Meridian's one identity model, from a token's {@code groups} claim; each is limited to the regions of
 * the token's {@code regions} claim. A role not named here grants nothing.
 */
public final class Roles {

    /** Reads fleet, weights, routes and costs of its regions. */
    public static final String VIEWER = "viewer";
    /** A viewer who may also act on its regions. */
    public static final String OPERATOR = "operator";
    /** Reads and exports the audit trail of its regions. */
    public static final String AUDITOR = "auditor";
    /** Everything; still limited to the regions of its token. */
    public static final String ADMIN = "admin";
    /** Node agents and Prometheus: write samples for its regions. */
    public static final String AGENT = "agent";
    /** Spot termination handlers: submit interruption notices for its regions. */
    public static final String TERMINATION_HANDLER = "termination-handler";

    /** Every role there is; any other name in a token grants nothing. */
    public static final java.util.Set<String> ALL = java.util.Set.of(VIEWER, OPERATOR, AUDITOR, ADMIN, AGENT,
            TERMINATION_HANDLER);

    private Roles() {
    }
}
