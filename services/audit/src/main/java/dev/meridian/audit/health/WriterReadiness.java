package dev.meridian.audit.health;

import dev.meridian.audit.store.StoreWriterService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the store writer runs and its last batch committed. PostgreSQL and Kafka themselves are checked by the
 * datasource and Kafka health checks, the chainer by Kafka Streams'.
 */
@ApplicationScoped
@Readiness
public class WriterReadiness implements HealthCheck {

    private final StoreWriterService writer;

    WriterReadiness(StoreWriterService writer) {
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("audit-store-writer").status(writer.healthy()).build();
    }
}
