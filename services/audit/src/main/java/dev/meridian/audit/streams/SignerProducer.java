package dev.meridian.audit.streams;

import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.config.AuditConfig;
import dev.meridian.auditproof.DigestKeys;
import dev.meridian.contracts.json.ContractJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** The digest signer, from the configured keys: the chainer signs with it, verification checks with its keys. */
@ApplicationScoped
public class SignerProducer {

    @Produces
    @Singleton
    DigestSigner signer(AuditConfig config) {
        AuditConfig.Chain chain = config.chain();
        List<DigestKeys.Key> retired;
        try {
            retired = List.of(ContractJson.mapper().readValue(chain.retiredKeys(), DigestKeys.Key[].class));
        } catch (IOException e) {
            throw new IllegalArgumentException("meridian.audit.chain.retired-keys is not a JSON array of keys", e);
        }
        return DigestSigner.fromBase64(chain.signingKey(), chain.publicKey(), chain.keyId(),
                Instant.parse(chain.keyValidFrom()), retired,
                chain.legacyHmacKey().map(k -> chain.legacyHmacKeyId()).orElse(null), chain.legacyHmacKey().orElse(null));
    }
}
