package dev.meridian.ingest.intake;

/**
 * A whole request fails, as opposed to one item in it. The API turns the kind into the HTTP status of an RFC 7807
 * problem; nothing below the API knows about HTTP.
 */
public class IntakeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The body cannot be read at all (not JSON, not snappy, not protobuf). */
        UNPARSEABLE,
        /** The body, or what it decompresses to, is larger than configured. */
        TOO_LARGE,
        /** The request holds more items than one request may (remote_write series or samples): send smaller ones. */
        TOO_MANY,
        /** One item of the request is beyond a bound (a remote_write series with too many labels): no split helps. */
        ITEM_OVER_LIMIT,
        /** The broker did not acknowledge everything in time; the sender should retry. */
        UNAVAILABLE
    }

    private final Kind kind;

    public IntakeException(Kind kind, String message) {
        this(kind, message, null);
    }

    public IntakeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
