package dev.meridian.audit.api;

import dev.meridian.testkit.security.TestTokens;
import java.util.List;

/** Tokens as the identity provider would issue them, signed with the test key the service trusts. */
final class Tokens {

    private Tokens() {
    }

    static String token(String user, String role, List<String> regions) {
        return TestTokens.token(user, role, regions);
    }
}
