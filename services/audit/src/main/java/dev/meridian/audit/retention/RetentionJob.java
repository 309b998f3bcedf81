package dev.meridian.audit.retention;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.audit.config.AuditConfig;
import dev.meridian.audit.messaging.OperationPublisher;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;

/** Runs {@link Retention} on its schedule; every run, dropping something or not, is itself an audited operation. */
@ApplicationScoped
public class RetentionJob {

    public static final String ACTION = "audit.retention";

    private final Retention retention;
    private final OperationPublisher publisher;
    private final AuditConfig config;
    private final RetentionMetrics metrics;

    RetentionJob(AgroalDataSource dataSource, Clock clock, AuditConfig config, OperationPublisher publisher,
            RetentionMetrics metrics) {
        this.retention = new Retention(dataSource, clock, config.retention().period());
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(cron = "{meridian.audit.retention.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() throws SQLException {
        run();
    }

    public synchronized Retention.Run run() throws SQLException {
        Retention.Run run = retention.run();
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.put("cutoff", run.cutoff().toString());
        details.put("period", config.retention().period().toString());
        run.dropped().forEach(details.putArray("droppedPartitions")::add);
        details.put("anchoredEntries", run.anchored());
        publisher.publish(config.homeRegion(), "system", ACTION, "audit:partitions", details);
        metrics.partitionsDropped(run.dropped().size());
        return run;
    }
}
