package dev.meridian.audit.store;

import dev.meridian.audit.config.AuditConfig;
import dev.meridian.audit.crypto.KeyEncryptionKeys;
import dev.meridian.service.kafka.KafkaClientSettings;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** Runs the {@link StoreWriter} for the service's lifetime and keeps partitions created ahead. */
@ApplicationScoped
public class StoreWriterService {

    private static final System.Logger LOG = System.getLogger(StoreWriterService.class.getName());

    private final AuditConfig config;
    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final StoreWriter writer;
    private final PayloadVault vault;

    StoreWriterService(AuditConfig config, AgroalDataSource dataSource, Clock clock, WriterMetrics metrics,
            KafkaClientSettings kafka, KeyEncryptionKeys keys, PayloadVault vault) {
        this.config = config;
        this.dataSource = dataSource;
        this.clock = clock;
        this.writer = new StoreWriter(new StoreWriter.Settings(kafka, config.writer().groupId(),
                config.writer().maxPollRecords(), config.writer().retryBackoff(),
                config.writer().connections(), config.writer().maxRetryBackoff(),
                new StoreWriter.Limits(config.retention().period(), config.writer().maxAhead()), config.source(), clock,
                keys), dataSource, metrics);
        this.vault = vault;
    }

    void start(@Observes StartupEvent event) throws SQLException {
        createAhead();
        if (config.writer().enabled()) {
            // After a KEK rotation: every data key moves under the new KEK before anything is written with it.
            int rewrapped = vault.rewrap();
            if (rewrapped > 0) {
                LOG.log(System.Logger.Level.INFO, "rewrapped " + rewrapped + " data keys under the current KEK");
            }
            writer.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        writer.close();
    }

    /** Whether the writer runs and its last batch committed; true when this instance runs no writer. */
    public boolean healthy() {
        return !config.writer().enabled() || writer.isHealthy();
    }

    /** Whether the writer thread runs (it may be waiting for PostgreSQL); true when this instance runs no writer. */
    public boolean alive() {
        return !config.writer().enabled() || writer.isAlive();
    }

    @Scheduled(every = "{meridian.audit.writer.partition-check}", delayed = "1m")
    void createAhead() {
        try {
            AuditSchema.ensureAhead(dataSource, YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC)),
                    config.writer().monthsAhead());
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not create partitions ahead: " + e.getMessage());
        }
    }
}
