package dev.meridian.audit.store;

import dev.meridian.audit.chain.DigestSigner;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI producers for the plain store classes. */
@ApplicationScoped
public class StoreBeans {

    @Produces
    @Singleton
    EventStore events(AgroalDataSource dataSource) {
        return new EventStore(dataSource);
    }

    @Produces
    @Singleton
    ChainVerifier verifier(AgroalDataSource dataSource, DigestSigner signer) {
        return new ChainVerifier(dataSource, signer);
    }

    /** The wall clock; tests replace it to move time (retention). */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
