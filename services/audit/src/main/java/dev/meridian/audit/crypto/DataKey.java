package dev.meridian.audit.crypto;

import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES data key that seals payloads, and the id under which its wrapped form is stored. The key bytes are
 * copied in and out so that no caller can change the key under a sealer or see its own array zeroed by another; the
 * key never appears in {@link #toString()}, and {@link #equals} compares in constant time.
 *
 * @param id  names the key where its wrapped form is stored (not secret); not blank
 * @param key exactly 32 bytes
 */
public record DataKey(String id, byte[] key) {

    public DataKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a data key's id must not be blank");
        }
        if (key.length != AesGcm.KEY_BYTES) {
            throw new IllegalArgumentException("data key '" + id + "' is " + key.length + " bytes; AES-256 needs "
                    + AesGcm.KEY_BYTES);
        }
        key = key.clone();
    }

    /** A copy of the key bytes: zero it when done. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    /** The key for a cipher, without the extra copy {@link #key()} makes. */
    SecretKeySpec secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DataKey that && id.equals(that.id) && MessageDigest.isEqual(key, that.key);
    }

    /** From the id only: a hash of the key bytes would be something derived from the key kept in plain sight. */
    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "DataKey[id=" + id + ", key=(" + key.length + " bytes, not shown)]";
    }
}
