package dev.meridian.audit.messaging;

/** The broker did not take the record of a read in time: the read is refused (503), never served unrecorded. */
public class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
