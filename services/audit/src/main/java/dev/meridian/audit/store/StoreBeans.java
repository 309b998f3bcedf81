package dev.meridian.audit.store;

import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.config.AuditConfig;
import dev.meridian.audit.crypto.FileKeyEncryptionKeys;
import dev.meridian.audit.crypto.KeyEncryptionKeys;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** CDI producers for the plain store classes. */
@ApplicationScoped
public class StoreBeans {

    /** The named datasource exports stream on ({@code quarkus.datasource.export.*}), apart from the writer's pool. */
    public static final String EXPORT_POOL = "export";

    @Produces
    @Singleton
    EventStore events(AgroalDataSource dataSource, @DataSource(EXPORT_POOL) AgroalDataSource exports,
            PayloadVault vault) {
        return new EventStore(dataSource, exports, vault);
    }

    @Produces
    @Singleton
    ChainVerifier verifier(AgroalDataSource dataSource, DigestSigner signer, PayloadVault vault) {
        return new ChainVerifier(dataSource, signer, vault);
    }

    /**
     * The key-encryption keys from {@code meridian.audit.encryption.kek-directory}, read once at start (a rotation is a
     * restart, which also rewraps the data keys). A missing directory stops the service, unless
     * {@code generate-missing} allows a first key to be made.
     */
    @Produces
    @Singleton
    KeyEncryptionKeys keyEncryptionKeys(AuditConfig config) throws IOException {
        Path directory = Path.of(config.encryption().kekDirectory());
        if (config.encryption().generateMissing()
                && !Files.isRegularFile(directory.resolve(FileKeyEncryptionKeys.CURRENT_FILE))) {
            Files.createDirectories(directory);
            FileKeyEncryptionKeys.generate(directory, "kek-1", true);
        }
        return FileKeyEncryptionKeys.load(directory);
    }

    /** Seals (the writer) and opens (reads, exports, verification) payloads; one cache of unwrapped data keys. */
    @Produces
    @Singleton
    PayloadVault vault(AgroalDataSource dataSource, KeyEncryptionKeys keys, Clock clock) {
        return new PayloadVault(dataSource, keys, clock);
    }

    /** The wall clock; tests replace it to move time (retention). */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
