package dev.meridian.service.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.service.metrics.AccessAuditMetrics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reports every refused request as an {@link AccessDenial} on {@code meridian.audit.operations.v1}, where the audit
 * records it in the chain of its region: 401s (no valid token: the peer address), 403s (the principal) and items an
 * ingest door refused for their region. Within a {@link ReportBudget}; what the budget holds back is counted and
 * carried by the next report.
 *
 * <p>Reports leave from one thread with a bounded queue, never from the request's thread: a slow or absent broker
 * must not slow the refusals down, and a refusal is answered whether or not its report reached the broker (the
 * metrics count those that did not).
 */
@ApplicationScoped
public class AccessAudit {

    private static final Logger LOG = Logger.getLogger(AccessAudit.class);
    private static final int QUEUE = 1_024;

    private final boolean enabled;
    private final String homeRegion;
    private final String service;
    private final Clock clock;
    private final ReportBudget budget;
    private final AccessAuditMetrics metrics;
    private final KafkaClientSettings kafka;
    private final ThreadPoolExecutor sender;
    private KafkaProducer<String, byte[]> producer;

    @Inject
    AccessAudit(@ConfigProperty(name = "meridian.access-audit.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "meridian.access-audit.region") String homeRegion,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "meridian.access-audit.reports-per-second", defaultValue = "5") double perSecond,
            @ConfigProperty(name = "meridian.access-audit.burst", defaultValue = "50") int burst,
            AccessAuditMetrics metrics, KafkaClientSettings kafka) {
        this.enabled = enabled;
        this.homeRegion = homeRegion;
        this.service = service;
        this.clock = Clock.systemUTC();
        this.budget = new ReportBudget(clock, perSecond, burst);
        this.metrics = metrics;
        this.kafka = kafka;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                task -> {
                    Thread thread = new Thread(task, "meridian-access-audit");
                    thread.setDaemon(true);
                    return thread;
                }, (task, executor) -> metrics.notReported("queue full"));
    }

    /** A request without a valid token (401), from {@code peer}, for {@code door} ({@code METHOD /path}). */
    public void unauthenticated(String door, String peer) {
        report(null, null, peer, 401, door, "no valid token");
    }

    /**
     * A request of {@code principal} refused (403) for {@code reason}; {@code region} is the region it named, or
     * null for one that named none (recorded in this service's region).
     */
    public void refused(String principal, String region, String door, String reason) {
        report(principal, region, null, 403, door, reason);
    }

    private void report(String principal, String region, String peer, int status, String door, String reason) {
        metrics.refused(status);
        if (!enabled) {
            return;
        }
        long unreportedBefore = budget.take();
        if (unreportedBefore < 0) {
            metrics.notReported("over budget");
            return;
        }
        AccessDenial denial = AccessDenial.of(clock.instant(), region == null || region.isBlank() ? homeRegion : region,
                service, principal, peer, status, door, reason, unreportedBefore);
        sender.execute(() -> send(denial));
    }

    private void send(AccessDenial denial) {
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(TopicCatalog.AUDIT_OPERATIONS,
                    denial.region(), ContractJson.mapper().writeValueAsBytes(denial));
            CloudEventHeaders.write(record.headers(), new CloudEventAttributes(UUID.randomUUID().toString(),
                    "meridian/" + service, AccessDenial.TYPE, denial.at(), denial.region()));
            producer().send(record, (metadata, failure) -> {
                if (failure == null) {
                    metrics.reported();
                } else {
                    metrics.notReported("broker");
                    LOG.warnf("a refusal could not be reported: %s", failure.getMessage());
                }
            });
        } catch (JsonProcessingException | RuntimeException e) {
            metrics.notReported("broker");
            LOG.warnf("a refusal could not be reported: %s", e.getMessage());
        }
    }

    /** Made on the first refusal: a service nobody is refused by never opens this connection. */
    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = kafka.newProducer("meridian-access-audit-" + service, Map.of(
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                    ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    void close(@Observes ShutdownEvent event) throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
