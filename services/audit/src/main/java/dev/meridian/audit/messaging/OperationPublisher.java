package dev.meridian.audit.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.audit.chain.Operation;
import dev.meridian.audit.chain.OperationMapper;
import dev.meridian.audit.config.AuditConfig;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.service.kafka.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes what the audit service itself does (reads, retention runs) to {@code meridian.audit.operations.v1}, from
 * where its own chainer appends it like any other operation. Waits for the broker's acknowledgement: a read is
 * answered only once it is on record.
 */
@ApplicationScoped
public class OperationPublisher {

    private final AuditConfig config;
    private final Clock clock;
    private final KafkaProducer<String, byte[]> producer;

    OperationPublisher(AuditConfig config, Clock clock, KafkaClientSettings kafka) {
        this.config = config;
        this.clock = clock;
        this.producer = kafka.newProducer("meridian-audit-operations", Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
    }

    /** Records one operation of the audit service in {@code region}'s chain. */
    public void publish(String region, String actor, String action, String resource, JsonNode details) {
        Instant now = clock.instant();
        Operation operation = new Operation(UUID.randomUUID().toString(), now, region, actor, action, resource,
                config.source(), OperationMapper.OPERATION_TYPE, details);
        byte[] value;
        try {
            value = ContractJson.mapper().writeValueAsBytes(operation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an operation", e);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(TopicCatalog.AUDIT_OPERATIONS, region, value);
        CloudEventHeaders.write(record.headers(), new CloudEventAttributes(operation.id(), config.source(),
                OperationMapper.OPERATION_TYPE, now, region));
        try {
            producer.send(record).get(config.api().publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while recording the operation", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AuditUnavailableException("the operation could not be recorded: " + e.getMessage(), e);
        }
    }

    void close(@Observes ShutdownEvent event) {
        producer.close();
    }
}
