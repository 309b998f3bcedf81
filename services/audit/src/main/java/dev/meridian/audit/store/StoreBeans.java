package dev.meridian.audit.store;

import dev.meridian.audit.chain.DigestSigner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI producers for the plain store classes. */
@ApplicationScoped
public class StoreBeans {

    /** The named datasource exports stream on ({@code quarkus.datasource.export.*}), apart from the writer's pool. */
    public static final String EXPORT_POOL = "export";

    @Produces
    @Singleton
    EventStore events(AgroalDataSource dataSource, @DataSource(EXPORT_POOL) AgroalDataSource exports) {
        return new EventStore(dataSource, exports);
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
