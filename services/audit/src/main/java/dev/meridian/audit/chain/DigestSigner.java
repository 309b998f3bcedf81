package dev.meridian.audit.chain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the hourly digests: HMAC-SHA256 over the digest entry's hash with a configured key. A signed digest is a
 * trusted anchor: whoever can rewrite rows in PostgreSQL cannot forge it without the key, which lives only in the
 * audit service's configuration (a Kubernetes secret).
 */
public final class DigestSigner {

    public static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final String keyId;

    public DigestSigner(byte[] key, String keyId) {
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException("the digest signing key must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    /** From the configured base64 text. */
    public static DigestSigner fromBase64(String base64Key, String keyId) {
        return new DigestSigner(Base64.getDecoder().decode(base64Key.trim()), keyId);
    }

    public String keyId() {
        return keyId;
    }

    public String sign(String hash) {
        return keyId + ":" + Base64.getEncoder().encodeToString(mac(hash));
    }

    public boolean verify(String hash, String signature) {
        if (signature == null || !signature.startsWith(keyId + ":")) {
            return false;
        }
        try {
            byte[] given = Base64.getDecoder().decode(signature.substring(keyId.length() + 1));
            return MessageDigest.isEqual(given, mac(hash));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] mac(String hash) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(hash.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("cannot sign a digest", e);
        }
    }
}
