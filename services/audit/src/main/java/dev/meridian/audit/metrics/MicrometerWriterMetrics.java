package dev.meridian.audit.metrics;

import dev.meridian.audit.store.WriterMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code audit_writer_rows_total}, {@code audit_writer_skipped_total}, {@code audit_writer_failed_batches_total},
 * {@code audit_writer_quarantined_total{reason}} and {@code audit_writer_batch_seconds}.
 */
// @Singleton, not @ApplicationScoped: built (and every meter registered) when the writer service is, at startup,
// rather than behind a client proxy on the first batch.
@Singleton
public class MicrometerWriterMetrics implements WriterMetrics {

    private final Counter rows;
    private final Counter skipped;
    private final Counter failed;
    private final Map<String, Counter> quarantined = new HashMap<>();
    private final Timer batches;

    MicrometerWriterMetrics(MeterRegistry registry) {
        rows = Counter.builder("audit.writer.rows").description("entries stored in PostgreSQL").register(registry);
        skipped = Counter.builder("audit.writer.skipped")
                .description("entries skipped because their offset was stored already").register(registry);
        failed = Counter.builder("audit.writer.failed.batches").description("batches rolled back and retried")
                .register(registry);
        for (String kind : WriterMetrics.quarantineKinds()) {
            // Registered at zero, so an alert on their increase sees the first one.
            quarantined.put(kind, Counter.builder("audit.writer.quarantined").tag("reason", kind)
                    .description("audit log records quarantined instead of stored").register(registry));
        }
        batches = Timer.builder("audit.writer.batch").description("one batch transaction").register(registry);
    }

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
}
