package dev.meridian.sandbox;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The sandbox's stand-ins for what production keeps in secrets: the audit digests' Ed25519 key pair and the identity
 * provider's RSA key pair. Made once per sandbox directory and kept there, so digests stay verifiable across runs;
 * the RSA public key is what the audit service trusts, its private key signs the tokens the sandbox hands out. A
 * directory made before Ed25519 keeps its HMAC key, given to audit as the legacy key so its old digests still verify.
 */
final class AuditKeys {

    static final String ISSUER = "https://sandbox.meridian.local/auth";
    /** The {@code kid} of the sandbox's one token key in its JWKS. */
    static final String KEY_ID = "sandbox-rs256";

    private final Path jwks;
    private final PrivateKey privateKey;
    private final String signingKeyBase64;
    private final String digestPublicKeyBase64;
    private final String legacyHmacKeyBase64;

    private AuditKeys(Path jwks, PrivateKey privateKey, String signingKeyBase64, String digestPublicKeyBase64,
            String legacyHmacKeyBase64) {
        this.jwks = jwks;
        this.privateKey = privateKey;
        this.signingKeyBase64 = signingKeyBase64;
        this.digestPublicKeyBase64 = digestPublicKeyBase64;
        this.legacyHmacKeyBase64 = legacyHmacKeyBase64;
    }

    static AuditKeys in(Path dir) throws IOException, GeneralSecurityException {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path publicPem = keys.resolve("jwt-public.pem");
        Path privateDer = keys.resolve("jwt-private.der");
        Path hmac = keys.resolve("audit-signing.key");
        Path digestPrivate = keys.resolve("audit-digest-ed25519.pk8");
        Path digestPublic = keys.resolve("audit-digest-ed25519.spki");
        if (!Files.exists(publicPem) || !Files.exists(privateDer)) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(publicPem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            Files.write(privateDer, pair.getPrivate().getEncoded());
        }
        if (!Files.exists(digestPrivate) || !Files.exists(digestPublic)) {
            KeyPair digest = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.write(digestPrivate, digest.getPrivate().getEncoded());
            Files.write(digestPublic, digest.getPublic().getEncoded());
        }
        PrivateKey privateKey = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateDer)));
        Path jwks = keys.resolve("jwt-public.jwks.json");
        Files.writeString(jwks, jwks(publicPem));
        Base64.Encoder base64 = Base64.getEncoder();
        return new AuditKeys(jwks, privateKey, base64.encodeToString(Files.readAllBytes(digestPrivate)),
                base64.encodeToString(Files.readAllBytes(digestPublic)),
                Files.exists(hmac) ? Files.readString(hmac).trim() : null);
    }

    /**
     * The public key as a JWKS document with its {@code kid}: what the services trust, as they would an identity
     * provider's JWKS URL (a PEM holds one key of one algorithm, and the services accept RS256 and ES256).
     */
    Path jwks() {
        return jwks;
    }

    private static String jwks(Path publicPem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(publicPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"" + KEY_ID + "\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"n\":\"" + url.encodeToString(unsigned(key.getModulus())) + "\","
                + "\"e\":\"" + url.encodeToString(unsigned(key.getPublicExponent())) + "\"}]}\n";
    }

    /** A JWK integer: big-endian, no sign byte. */
    private static byte[] unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** The digests' Ed25519 private key, PKCS#8 base64. */
    String signingKeyBase64() {
        return signingKeyBase64;
    }

    /** Its public key, X.509 base64 (audit also serves it at {@code GET /v1/audit/keys}). */
    String digestPublicKeyBase64() {
        return digestPublicKeyBase64;
    }

    /** The HMAC key of a directory made before Ed25519 digests, or null. */
    String legacyHmacKeyBase64() {
        return legacyHmacKeyBase64;
    }

    /** The audience every service of the sandbox expects (the services' default). */
    static final String AUDIENCE = "meridian";

    /** A bearer token for the services' APIs, as the identity provider would issue it. */
    String token(String user, String role, List<String> regions, Duration lifetime) {
        return token(user, Set.of(role), regions, lifetime);
    }

    /** A token with several roles, e.g. the simulator's agent and termination handler in one. */
    String token(String user, Set<String> roles, List<String> regions, Duration lifetime) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).groups(roles).claim("regions", regions)
                .expiresIn(lifetime).jws().keyId(KEY_ID).sign(privateKey);
    }
}
