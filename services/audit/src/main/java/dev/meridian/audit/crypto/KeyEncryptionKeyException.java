package dev.meridian.audit.crypto;

import java.util.Objects;

/**
 * A key encryption key could not do what was asked: it is unknown to the provider, the wrapped data key does not
 * authenticate under it, or the provider could not be reached. The message names the key encryption key and never
 * holds key material.
 */
public class KeyEncryptionKeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, so that callers can tell a configuration or tampering problem from a passing outage. */
    public enum Reason {
        /** The provider has no key encryption key of that id (a key removed from the mount, a wrong id in a row). */
        UNKNOWN_KEY,
        /** The wrapped data key does not authenticate: another key, other associated data, or changed bytes. */
        NOT_AUTHENTIC,
        /** The provider (a KMS, Vault) could not answer; retrying later may succeed. Never thrown for local keys. */
        UNAVAILABLE
    }

    private final String kekId;
    private final Reason reason;

    public KeyEncryptionKeyException(String kekId, Reason reason, String message) {
        this(kekId, reason, message, null);
    }

    public KeyEncryptionKeyException(String kekId, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.kekId = kekId;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The id of the key encryption key the operation named. */
    public String kekId() {
        return kekId;
    }

    public Reason reason() {
        return reason;
    }
}
