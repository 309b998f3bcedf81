package dev.meridian.audit.api;

/** The entry exists but no signed digest with a Merkle root closes it yet (the next comes within digest-interval). */
public class ProofPendingException extends RuntimeException {

    public ProofPendingException(String id) {
        super("no signed digest closes audit entry " + id + " yet: the next digest comes within the digest interval");
    }
}
