package dev.meridian.auditproof;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestKeysTest {

    private static final String HASH = "ab".repeat(32);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-07-01T00:00:00Z");

    private static KeyPair pair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static String spki(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    @Test
    void aSignatureVerifiesWithItsKeyWithinTheKeysValidityOnly() throws Exception {
        KeyPair old = pair();
        KeyPair current = pair();
        DigestKeys keys = new DigestKeys(List.of(new DigestKeys.Key("k1", "Ed25519", spki(old), T0, T1),
                new DigestKeys.Key("k2", "Ed25519", spki(current), T1, null)));
        String byOld = DigestKeys.sign(old.getPrivate(), "k1", HASH);
        String byCurrent = DigestKeys.sign(current.getPrivate(), "k2", HASH);

        assertThat(keys.problem(HASH, byOld, T0.plusSeconds(60))).isEmpty();
        assertThat(keys.problem(HASH, byCurrent, T1.plusSeconds(60))).isEmpty();
        assertThat(keys.problem(HASH, byOld, T1.plusSeconds(60))).hasValue("key k1 was not valid at "
                + T1.plusSeconds(60));
        assertThat(keys.problem("cd".repeat(32), byCurrent, T1.plusSeconds(60))).hasValue("digest signature is not valid");
        assertThat(keys.problem(HASH, "k2:" + byOld.substring(3), T1.plusSeconds(60)))
                .hasValue("digest signature is not valid");
        assertThat(keys.problem(HASH, "k9:AAAA", T1)).hasValue("signed with unknown key k9");
        assertThat(keys.problem(HASH, null, T1)).hasValue("digest is not signed");
    }

    @Test
    void theKeysDocumentRoundTripsAsTheEndpointServesIt() throws Exception {
        DigestKeys keys = new DigestKeys(List.of(new DigestKeys.Key("k1", "Ed25519", spki(pair()), T0, null)));

        String json = new String(keys.json(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json).contains("\"keyId\":\"k1\"", "\"algorithm\":\"Ed25519\"", "\"validFrom\":\"2026-01-01T00:00:00Z\"")
                .doesNotContain("validTo");
        assertThat(DigestKeys.read(keys.json()).document()).isEqualTo(keys.document());
    }
}
