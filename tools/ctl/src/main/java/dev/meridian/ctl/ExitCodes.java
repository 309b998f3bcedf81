package dev.meridian.ctl;

/** The exit codes of {@code meridian ctl}, one per kind of outcome a script may want to tell apart. */
public final class ExitCodes {

    /** Done: the answer is on stdout. */
    public static final int OK = 0;
    /** Invalid input: a usage error, an unreadable option value, or the service's 400 / 422. */
    public static final int INVALID = 2;
    /** Denied: no token, or the service's 401 / 403. */
    public static final int DENIED = 3;
    /**
     * Failed: 404, 409, 5xx, a service that cannot be reached or does not answer in time, an unreadable answer, an
     * action REJECTED or still PENDING when {@code --wait} gave up.
     */
    public static final int FAILED = 4;

    private ExitCodes() {
    }

    /** The exit code of an HTTP error status. */
    public static int ofStatus(int status) {
        return switch (status) {
            case 400, 422 -> INVALID;
            case 401, 403 -> DENIED;
            default -> FAILED;
        };
    }
}
