package dev.meridian.auditproof;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.json.ContractJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The public keys of the audit's digest signatures, each valid for a period, so keys rotate and old digests still
 * verify: what {@code GET /v1/audit/keys} serves and what the offline verifier reads ({@code {"keys": [...]}}).
 *
 * <p>A signature is {@code keyId:base64(Ed25519(hash))} over the digest entry's hash as 64 ASCII hex characters; it is
 * valid when the key of that id exists, was valid at the digest's time, and the signature verifies.
 */
public final class DigestKeys {

    public static final String ALGORITHM = "Ed25519";

    /**
     * @param publicKey X.509 SubjectPublicKeyInfo, base64
     * @param validFrom first instant a digest may be signed with it
     * @param validTo   last instant, or null while it is the current key
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Key(@JsonProperty(required = true) String keyId, String algorithm,
            @JsonProperty(required = true) String publicKey, @JsonProperty(required = true) Instant validFrom,
            Instant validTo) {
        public Key {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(validFrom, "validFrom");
            algorithm = algorithm == null ? ALGORITHM : algorithm;
        }

        boolean validAt(Instant at) {
            return !at.isBefore(validFrom) && (validTo == null || !at.isAfter(validTo));
        }
    }

    /** The JSON document: {@code {"keys": [...]}}. */
    public record Document(@JsonProperty(required = true) List<Key> keys) {
        public Document {
            keys = List.copyOf(keys);
        }
    }

    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final Map<String, PublicKey> decoded = new LinkedHashMap<>();

    public DigestKeys(List<Key> keys) {
        for (Key key : keys) {
            if (!ALGORITHM.equals(key.algorithm())) {
                throw new IllegalArgumentException("key " + key.keyId() + ": only " + ALGORITHM + " is supported");
            }
            if (this.keys.put(key.keyId(), key) != null) {
                throw new IllegalArgumentException("key id " + key.keyId() + " appears twice");
            }
            decoded.put(key.keyId(), publicKey(key.publicKey()));
        }
    }

    public static DigestKeys read(byte[] json) throws IOException {
        return new DigestKeys(ContractJson.mapper().readValue(json, Document.class).keys());
    }

    public Document document() {
        return new Document(List.copyOf(keys.values()));
    }

    public byte[] json() throws IOException {
        return ContractJson.mapper().writeValueAsBytes(document());
    }

    /** Why {@code signature} is not a valid signature of {@code hash} made at {@code signedAt}; empty when it is. */
    public Optional<String> problem(String hash, String signature, Instant signedAt) {
        if (signature == null) {
            return Optional.of("digest is not signed");
        }
        int colon = signature.indexOf(':');
        if (colon < 0) {
            return Optional.of("signature names no key");
        }
        String keyId = signature.substring(0, colon);
        Key key = keys.get(keyId);
        if (key == null) {
            return Optional.of("signed with unknown key " + keyId);
        }
        if (!key.validAt(signedAt)) {
            return Optional.of("key " + keyId + " was not valid at " + signedAt);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(signature.substring(colon + 1));
            if (bytes.length != 64) {
                return Optional.of("not an Ed25519 signature (" + bytes.length + " bytes; an HMAC digest of before"
                        + " Ed25519 is checked by the service only)");
            }
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(decoded.get(keyId));
            verifier.update(hash.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(bytes)
                    ? Optional.empty() : Optional.of("digest signature is not valid");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.of("digest signature is not valid");
        }
    }

    /** {@code keyId:base64(Ed25519(hash))}. */
    public static String sign(PrivateKey key, String keyId, String hash) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(hash.getBytes(StandardCharsets.US_ASCII));
            return keyId + ":" + Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a digest", e);
        }
    }

    /** An Ed25519 public key from base64 X.509 SubjectPublicKeyInfo. */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(
                    Base64.getDecoder().decode(base64.trim())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 X.509 " + ALGORITHM + " public key", e);
        }
    }
}
