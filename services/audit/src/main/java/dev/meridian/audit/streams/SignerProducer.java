package dev.meridian.audit.streams;

import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.config.AuditConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The digest signer, from the configured key: the chainer signs with it, verification checks with it. */
@ApplicationScoped
public class SignerProducer {

    @Produces
    @Singleton
    DigestSigner signer(AuditConfig config) {
        return DigestSigner.fromBase64(config.chain().signingKey(), config.chain().keyId());
    }
}
