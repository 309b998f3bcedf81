package dev.meridian.scaler.api;

/** An action the API refuses before anything is published: 400 (invalid) or 404 (unknown pool or node). */
public class ActionRefusedException extends RuntimeException {

    /** What was wrong, each with its problem type and status. */
    public enum Why {
        INVALID("invalid-action", "Invalid action", 400),
        NOT_HOME("pool-not-scaled-here", "Pool not scaled by this region's scaler", 400),
        UNKNOWN_POOL("unknown-pool", "Unknown pool", 404),
        UNKNOWN_NODE("unknown-node", "Unknown node", 404);

        final String slug;
        final String title;
        final int status;

        Why(String slug, String title, int status) {
            this.slug = slug;
            this.title = title;
            this.status = status;
        }
    }

    private final Why why;

    public ActionRefusedException(Why why, String detail) {
        super(detail);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
