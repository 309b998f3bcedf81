package dev.meridian.audit.crypto;

/**
 * A sealed value that does not open: too short to be a seal, of an unknown format version, or its authentication
 * tag does not verify — the wrong key, or the ciphertext, nonce or associated data changed since it was sealed.
 * Nothing of the plaintext is released then, and the message never holds key material or plaintext.
 */
public class SealBrokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SealBrokenException(String message) {
        super(message);
    }

    public SealBrokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
