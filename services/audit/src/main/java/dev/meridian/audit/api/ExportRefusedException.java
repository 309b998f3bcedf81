package dev.meridian.audit.api;

/** An export that will not run: too many rows, or too many exports already running. */
public class ExportRefusedException extends RuntimeException {

    /** Why, as the problem's status: 400 too large, 429 too many at once. */
    private final int status;

    public ExportRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
