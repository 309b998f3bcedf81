package dev.meridian.audit.store;

import dev.meridian.audit.config.AuditConfig;
import dev.meridian.registry.kafka.KafkaClientProperties;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Runs the {@link StoreWriter} for the service's lifetime and keeps partitions created ahead. */
@ApplicationScoped
public class StoreWriterService {

    private static final System.Logger LOG = System.getLogger(StoreWriterService.class.getName());

    private final AuditConfig config;
    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final StoreWriter writer;

    StoreWriterService(AuditConfig config, AgroalDataSource dataSource, Clock clock, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.dataSource = dataSource;
        this.clock = clock;
        Counter rows = Counter.builder("audit.writer.rows").description("entries stored in PostgreSQL").register(registry);
        Counter skipped = Counter.builder("audit.writer.skipped")
                .description("entries skipped because their offset was stored already").register(registry);
        Counter failed = Counter.builder("audit.writer.failed.batches").description("batches rolled back and retried")
                .register(registry);
        Map<String, Counter> quarantined = new HashMap<>();
        for (Refusal.Kind kind : Refusal.Kind.values()) {
            // Registered at zero, so an alert on their increase sees the first one.
            quarantined.put(kind.tag(), Counter.builder("audit.writer.quarantined").tag("reason", kind.tag())
                    .description("audit log records quarantined instead of stored").register(registry));
        }
        Timer batches = Timer.builder("audit.writer.batch").description("one batch transaction").register(registry);
        this.writer = new StoreWriter(new StoreWriter.Settings(bootstrap, config.writer().groupId(),
                config.writer().maxPollRecords(), config.writer().retryBackoff(),
                KafkaClientProperties.consumer(kafka), config.writer().connections(), config.writer().maxRetryBackoff(),
                new StoreWriter.Limits(config.retention().period(), config.writer().maxAhead()), config.source(), clock),
                dataSource, new WriterMetrics() {
                    @Override
                    public void committed(int written, int inserted, int skippedRows, long nanos) {
                        rows.increment(inserted);
                        skipped.increment(skippedRows);
                        batches.record(nanos, TimeUnit.NANOSECONDS);
                    }

                    @Override
                    public void failed() {
                        failed.increment();
                    }

                    @Override
                    public void quarantined(String kind) {
                        quarantined.get(kind).increment();
                    }
                });
    }

    void start(@Observes StartupEvent event) {
        createAhead();
        if (config.writer().enabled()) {
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
