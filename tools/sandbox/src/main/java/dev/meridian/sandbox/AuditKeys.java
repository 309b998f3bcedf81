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
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The sandbox's stand-ins for what production keeps in secrets: the audit digests' HMAC key and the identity
 * provider's RSA key pair. Made once per sandbox directory and kept there, so digests stay verifiable across runs;
 * the public key is what the audit service trusts, the private key signs the tokens the sandbox hands out.
 */
final class AuditKeys {

    static final String ISSUER = "https://sandbox.meridian.local/auth";

    private final Path publicKeyPem;
    private final PrivateKey privateKey;
    private final String signingKeyBase64;

    private AuditKeys(Path publicKeyPem, PrivateKey privateKey, String signingKeyBase64) {
        this.publicKeyPem = publicKeyPem;
        this.privateKey = privateKey;
        this.signingKeyBase64 = signingKeyBase64;
    }

    static AuditKeys in(Path dir) throws IOException, GeneralSecurityException {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path publicPem = keys.resolve("jwt-public.pem");
        Path privateDer = keys.resolve("jwt-private.der");
        Path hmac = keys.resolve("audit-signing.key");
        if (!Files.exists(publicPem) || !Files.exists(privateDer) || !Files.exists(hmac)) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(publicPem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            Files.write(privateDer, pair.getPrivate().getEncoded());
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.writeString(hmac, Base64.getEncoder().encodeToString(secret));
        }
        PrivateKey privateKey = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateDer)));
        return new AuditKeys(publicPem, privateKey, Files.readString(hmac).trim());
    }

    Path publicKeyPem() {
        return publicKeyPem;
    }

    String signingKeyBase64() {
        return signingKeyBase64;
    }

    /** A bearer token for the audit API, as the identity provider would issue it. */
    String token(String user, String role, List<String> regions, Duration lifetime) {
        return Jwt.issuer(ISSUER).upn(user).groups(Set.of(role)).claim("regions", regions)
                .expiresIn(lifetime).sign(privateKey);
    }
}
