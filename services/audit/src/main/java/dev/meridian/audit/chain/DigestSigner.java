package dev.meridian.audit.chain;

import dev.meridian.auditproof.DigestKeys;
import dev.meridian.contracts.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the digests with Ed25519 and checks digest signatures against the published keys ({@link DigestKeys}): the
 * private key lives only in the audit service's secret, the public keys are published at {@code GET /v1/audit/keys},
 * so anyone can check a digest and nobody who can rewrite rows can forge one.
 *
 * <p>Digests signed before the switch to Ed25519 carry an HMAC-SHA256 signature ({@code keyId:base64}); with the
 * old key configured as the legacy key they still verify in place, so a store written before the switch keeps its
 * anchors. Nothing is signed with it any more; outsiders cannot check those digests, and the offline verifier
 * reports them as not Ed25519 signatures. The legacy key and the current one may share an id: the signature's
 * length tells them apart.
 */
public final class DigestSigner {

    public static final String ALGORITHM = DigestKeys.ALGORITHM;
    private static final String HMAC = "HmacSHA256";

    private final PrivateKey key;
    private final String keyId;
    private final DigestKeys keys;
    private final String legacyKeyId;
    private final SecretKeySpec legacyKey;

    /**
     * @param key          the current private key
     * @param keyId        its id, named in every signature and in the published keys
     * @param keys         every public key a digest may be signed with, the current one included
     * @param legacyKeyId  the id of the HMAC key of digests signed before Ed25519, or null
     * @param legacyKey    that key (at least 32 bytes), or null
     */
    public DigestSigner(PrivateKey key, String keyId, DigestKeys keys, String legacyKeyId, byte[] legacyKey) {
        this.key = Objects.requireNonNull(key, "key");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.keys = Objects.requireNonNull(keys, "keys");
        if (keys.document().keys().stream().noneMatch(k -> k.keyId().equals(keyId))) {
            throw new IllegalArgumentException("the public key of " + keyId + " is not among the published keys");
        }
        if ((legacyKeyId == null) != (legacyKey == null) || legacyKey != null && legacyKey.length < 32) {
            throw new IllegalArgumentException("a legacy HMAC key needs an id and at least 32 bytes");
        }
        this.legacyKeyId = legacyKeyId;
        this.legacyKey = legacyKey == null ? null : new SecretKeySpec(legacyKey.clone(), HMAC);
    }

    /**
     * From configuration: the private key as base64 PKCS#8, its public key as base64 X.509, when it became valid, the
     * keys it replaced.
     */
    public static DigestSigner fromBase64(String privateKeyPkcs8, String publicKeyX509, String keyId, Instant validFrom,
            List<DigestKeys.Key> retired, String legacyKeyId, String legacyKeyBase64) {
        if (validFrom.isAfter(Instant.now().plus(java.time.Duration.ofMinutes(5)))) {
            // Its digests would be signed before the key is valid and never verify: refuse to start instead.
            throw new IllegalArgumentException("the digest key " + keyId + " is valid only from " + validFrom
                    + ": deploy it then, or set key-valid-from to when it is deployed");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(privateKeyPkcs8.trim())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the digest signing key must be a base64 PKCS#8 Ed25519 private key", e);
        }
        List<DigestKeys.Key> all = new ArrayList<>(retired);
        all.add(new DigestKeys.Key(keyId, ALGORITHM, publicKeyX509.trim(), validFrom, null));
        return new DigestSigner(key, keyId, new DigestKeys(all), legacyKeyId,
                legacyKeyBase64 == null ? null : Base64.getDecoder().decode(legacyKeyBase64.trim()));
    }

    /** A fresh key pair valid from the epoch, for tests and benchmarks. */
    public static DigestSigner generate(String keyId) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            DigestKeys keys = new DigestKeys(List.of(new DigestKeys.Key(keyId, ALGORITHM,
                    Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()), Instant.EPOCH, null)));
            return new DigestSigner(pair.getPrivate(), keyId, keys, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /** The published keys. */
    public DigestKeys keys() {
        return keys;
    }

    /** {@code keyId:base64(Ed25519(hash))}. */
    public String sign(String hash) {
        return DigestKeys.sign(key, keyId, hash);
    }

    /** Why a digest's signature does not hold; empty when it does. */
    public Optional<String> problem(AuditRecord digest) {
        String signature = digest.signature();
        if (legacyKey != null && signature != null && signature.startsWith(legacyKeyId + ":")
                && isHmacLength(signature.substring(legacyKeyId.length() + 1))) {
            return legacyHmacValid(digest.hash(), signature.substring(legacyKeyId.length() + 1)) ? Optional.empty()
                    : Optional.of("digest signature is not valid");
        }
        return keys.problem(digest.hash(), signature, digest.time());
    }

    /**
     * The legacy key and the current one may share an id (both defaulted to {@code k1}): an HMAC-SHA256 signature is
     * 32 bytes, an Ed25519 one 64, so the length tells them apart.
     */
    private static boolean isHmacLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean legacyHmacValid(String hash, String base64) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(legacyKey);
            byte[] expected = mac.doFinal(hash.getBytes(StandardCharsets.US_ASCII));
            return MessageDigest.isEqual(Base64.getDecoder().decode(base64), expected);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
