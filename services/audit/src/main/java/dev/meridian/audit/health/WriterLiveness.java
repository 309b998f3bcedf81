package dev.meridian.audit.health;

import dev.meridian.audit.store.StoreWriterService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the writer thread runs; a PostgreSQL outage it is waiting out is readiness' business, not liveness'. */
@ApplicationScoped
@Liveness
public class WriterLiveness implements HealthCheck {

    private final StoreWriterService writer;

    WriterLiveness(StoreWriterService writer) {
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("audit-store-writer-thread").status(writer.alive()).build();
    }
}
