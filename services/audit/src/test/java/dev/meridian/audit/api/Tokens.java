package dev.meridian.audit.api;

import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.List;
import java.util.Set;

/** Tokens as the identity provider would issue them, signed with the test key (smallrye.jwt.sign.key.location). */
final class Tokens {

    static final String ISSUER = "https://meridian.dev/auth";

    private Tokens() {
    }

    static String token(String user, String role, List<String> regions) {
        return Jwt.issuer(ISSUER).upn(user).groups(Set.of(role)).claim("regions", regions).sign();
    }

    /** Well-formed and with every claim, but signed by a key the service does not trust. */
    static String forged(String user, String role, List<String> regions) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            PrivateKey key = generator.generateKeyPair().getPrivate();
            return Jwt.issuer(ISSUER).upn(user).groups(Set.of(role)).claim("regions", regions).sign(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
