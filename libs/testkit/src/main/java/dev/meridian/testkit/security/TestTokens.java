package dev.meridian.testkit.security;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer tokens as Meridian's identity provider would issue them, signed with the test key the services trust in
 * their test profile ({@code meridian-test-jwt/}), and the ways a token can be wrong, for tests that prove each is
 * refused.
 */
public final class TestTokens {

    public static final String ISSUER = "https://meridian.dev/auth";
    public static final String AUDIENCE = "meridian";

    /** Key ids of the test JWKS ({@code meridian-test-jwt/jwks.json}) that the services trust in tests. */
    public static final String RSA_KEY_ID = "meridian-test-rs256";
    public static final String EC_KEY_ID = "meridian-test-es256";

    private static final PrivateKey KEY = load("meridian-test-jwt/privateKey.pem", "RSA");
    private static final PrivateKey EC_KEY = load("meridian-test-jwt/ecPrivateKey.pem", "EC");
    /** A key the services do not trust; made once, a 2048-bit key takes a while. */
    private static final PrivateKey FOREIGN_KEY = foreignKey();

    private TestTokens() {
    }

    /** A valid token of {@code user} with one role for {@code regions} ({@code "*"}: every region). */
    public static String token(String user, String role, List<String> regions) {
        return rs256(claims(user, role, regions), KEY);
    }

    /** The same token signed with the trusted P-256 key (ES256): an identity provider may use either. */
    public static String es256Token(String user, String role, List<String> regions) {
        return claims(user, role, regions).jws().algorithm(SignatureAlgorithm.ES256).keyId(EC_KEY_ID).sign(EC_KEY);
    }

    /**
     * Tokens for the same caller that a service must refuse with 401, by what is wrong with them: expired, another
     * issuer, another audience, no signature ({@code alg: none}), signed by a key the service does not trust, a
     * signature that does not match the claims, and HS256 keyed with the public key (the algorithm-confusion attack).
     */
    public static Map<String, String> refused(String user, String role, List<String> regions) {
        Map<String, String> tokens = new LinkedHashMap<>();
        Instant past = Instant.now().minusSeconds(7_200);
        tokens.put("expired", rs256(claims(user, role, regions).issuedAt(past).expiresAt(past.plusSeconds(60)), KEY));
        tokens.put("wrong issuer", rs256(claims(user, role, regions).issuer("https://elsewhere.example/auth"), KEY));
        tokens.put("wrong audience", rs256(claims(user, role, regions).audience("someone-else"), KEY));
        tokens.put("alg none", unsigned(token(user, role, regions)));
        tokens.put("foreign key", rs256(claims(user, role, regions), FOREIGN_KEY));
        tokens.put("tampered signature", tampered(token(user, role, regions)));
        tokens.put("hs256 keyed with the public key", claims(user, role, regions).jws()
                .algorithm(SignatureAlgorithm.HS256).keyId(RSA_KEY_ID).sign(publicKeyAsSecret()));
        return tokens;
    }

    private static String rs256(JwtClaimsBuilder claims, PrivateKey key) {
        return claims.jws().algorithm(SignatureAlgorithm.RS256).keyId(RSA_KEY_ID).sign(key);
    }

    private static SecretKey publicKeyAsSecret() {
        return new SecretKeySpec(resource("meridian-test-jwt/publicKey.pem"), "HmacSHA256");
    }

    private static JwtClaimsBuilder claims(String user, String role, List<String> regions) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).groups(Set.of(role)).claim("regions", regions);
    }

    /** The same claims with the header {@code {"alg":"none"}} and no signature. */
    private static String unsigned(String signed) {
        String[] parts = signed.split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + parts[1] + ".";
    }

    private static String tampered(String signed) {
        int last = signed.length() - 1;
        char flipped = signed.charAt(last - 5) == 'A' ? 'B' : 'A';
        return signed.substring(0, last - 5) + flipped + signed.substring(last - 4);
    }

    private static PrivateKey foreignKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey load(String resource, String algorithm) {
        String pem = new String(resource(resource), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test signing key " + resource, e);
        }
    }

    private static byte[] resource(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
