package dev.meridian.service.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** What {@code security.AccessAudit} counts: every refusal, and what became of its report. */
@ApplicationScoped
public class AccessAuditMetrics {

    private final MeterRegistry registry;
    private final Counter reported;

    AccessAuditMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reported = Counter.builder("meridian_access_denial_reports")
                .description("Refusals reported to the audit and acknowledged by the broker")
                .register(registry);
    }

    public void refused(int status) {
        Counter.builder("meridian_access_denials")
                .description("Requests refused for want of a valid token (401) or of a role or region (403)")
                .tag("status", Integer.toString(status))
                .register(registry).increment();
    }

    public void reported() {
        reported.increment();
    }

    /** A refusal with no report of its own: {@code over budget} (counted on the next report), queue full, broker. */
    public void notReported(String why) {
        Counter.builder("meridian_access_denials_unreported")
                .description("Refusals without a report of their own, by why")
                .tag("why", why)
                .register(registry).increment();
    }
}
