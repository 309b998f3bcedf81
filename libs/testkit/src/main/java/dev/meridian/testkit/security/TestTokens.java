package dev.meridian.testkit.security;

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

/**
 * Bearer tokens as Meridian's identity provider would issue them, signed with the test key the services trust in
 * their test profile ({@code meridian-test-jwt/}), and the ways a token can be wrong, for tests that prove each is
 * refused.
 */
public final class TestTokens {

    public static final String ISSUER = "https://meridian.dev/auth";
    public static final String AUDIENCE = "meridian";

    private static final PrivateKey KEY = load("meridian-test-jwt/privateKey.pem");
    /** A key the services do not trust; made once, a 2048-bit key takes a while. */
    private static final PrivateKey FOREIGN_KEY = foreignKey();

    private TestTokens() {
    }

    /** A valid token of {@code user} with one role for {@code regions} ({@code "*"}: every region). */
    public static String token(String user, String role, List<String> regions) {
        return claims(user, role, regions).sign(KEY);
    }

    /**
     * Tokens for the same caller that a service must refuse with 401, by what is wrong with them: expired, another
     * issuer, another audience, no signature ({@code alg: none}), signed by a key the service does not trust, and a
     * signature that does not match the claims.
     */
    public static Map<String, String> refused(String user, String role, List<String> regions) {
        Map<String, String> tokens = new LinkedHashMap<>();
        Instant past = Instant.now().minusSeconds(7_200);
        tokens.put("expired", claims(user, role, regions).issuedAt(past).expiresAt(past.plusSeconds(60)).sign(KEY));
        tokens.put("wrong issuer", claims(user, role, regions).issuer("https://elsewhere.example/auth").sign(KEY));
        tokens.put("wrong audience", claims(user, role, regions).audience("someone-else").sign(KEY));
        tokens.put("alg none", unsigned(claims(user, role, regions).sign(KEY)));
        tokens.put("foreign key", claims(user, role, regions).sign(FOREIGN_KEY));
        tokens.put("tampered signature", tampered(claims(user, role, regions).sign(KEY)));
        return tokens;
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

    private static PrivateKey load(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(pem)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test signing key " + resource, e);
        }
    }
}
