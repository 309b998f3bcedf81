package dev.meridian.scheduler.api;

/** A route or weights request that cannot be answered; {@link ProblemMapper} turns it into problem+json. */
public class RoutingException extends RuntimeException {

    public enum Kind { UNKNOWN_CLIENT_REGION, NONE_ELIGIBLE }

    private final Kind kind;

    public RoutingException(Kind kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
