package dev.meridian.fleetsim.traffic;

/** A request trace that cannot be read: the message names the file, the line and what is wrong there. */
public final class TraceFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TraceFormatException(String message) {
        super(message);
    }
}
