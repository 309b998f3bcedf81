package dev.meridian.ctl;

/** Ends a command with a one-line message on stderr and an exit code of {@link ExitCodes}. */
public final class CtlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CtlException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
