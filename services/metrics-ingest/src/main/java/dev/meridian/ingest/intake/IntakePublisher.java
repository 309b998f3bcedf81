package dev.meridian.ingest.intake;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes what the HTTP and remote_write doors accepted or rejected. Every method returns a future that
 * completes when the broker has acknowledged the record (the producer runs with {@code acks=all} and
 * idempotence), so a door answers its caller only once nothing it accepted can be lost.
 *
 * <p>A plain {@link Producer} rather than a SmallRye emitter: a door publishes a whole request (thousands of
 * records) with a key and headers each and must wait for every ack; the producer's per-record future is
 * exactly that, while an emitter would need message metadata plus ack/nack hooks per record and, with its
 * default 128-message buffer, fails a large request instead of applying back-pressure.
 */
public class IntakePublisher {

    private final Producer<byte[], byte[]> producer;
    private final String ceSource;
    private final Clock clock;

    public IntakePublisher(Producer<byte[], byte[]> producer, String ceSource, Clock clock) {
        this.producer = producer;
        this.ceSource = ceSource;
        this.clock = clock;
    }

    /**
     * A sample the HTTP door validated, as it was received ({@code json}), on {@code meridian.metrics.raw.v1}: keyed by
     * node so it lands on the partition whose task windows the node, stamped with its own time, and marked
     * {@link ValidatedBy validated} so the intake only parses it. Nothing is written twice or read back.
     */
    public CompletableFuture<RecordMetadata> validatedSample(NodeMetric metric, byte[] json) {
        RecordHeaders headers = new RecordHeaders();
        ValidatedBy.mark(headers, Door.HTTP);
        return send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, null, metric.timestamp().toEpochMilli(),
                utf8(metric.nodeId()), json, headers));
    }

    public CompletableFuture<RecordMetadata> latency(LatencyProbe probe) {
        return send(TopicCatalog.LATENCY, probe.key(), probe.observedAt(), ContractJson.write(probe),
                CloudEventAttributes.of(ContractType.LATENCY_PROBE, ceSource, probe.observedAt(), probe.fromRegion()));
    }

    /** A notice, with who submitted it ({@code submitter}: from the verified token) as its auth context. */
    public CompletableFuture<RecordMetadata> interruption(Interruption notice, AuthContext submitter) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.write(headers, CloudEventAttributes.of(ContractType.INTERRUPTION, ceSource,
                notice.noticeAt(), notice.region()));
        submitter.writeTo(headers);
        return send(new ProducerRecord<>(TopicCatalog.FLEET_INTERRUPTIONS, null, notice.noticeAt().toEpochMilli(),
                utf8(notice.nodeId()), ContractJson.write(notice), headers));
    }

    /**
     * A record for the Kafka intake on {@code meridian.metrics.raw.v1}, keyed by node so one node's counter
     * readings stay in one partition (and one state store) whichever replica received them.
     */
    public CompletableFuture<RecordMetadata> raw(String nodeId, Instant timestamp, byte[] value, RawFormat format) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(RawFormat.HEADER, format.headerValue());
        ValidatedBy.mark(headers, Door.REMOTE_WRITE);
        return send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, null, timestamp.toEpochMilli(), utf8(nodeId), value,
                headers));
    }

    /** The rejected bytes as received on {@code meridian.metrics.dlq.v1}, with the reason in headers. */
    public CompletableFuture<RecordMetadata> deadLetter(String key, byte[] value, Verdict.Rejected<?> rejected, Door door) {
        Instant now = clock.instant();
        RecordHeaders headers = new RecordHeaders();
        DeadLetters.write(headers, rejected, door, now);
        return send(new ProducerRecord<>(TopicCatalog.METRICS_DLQ, null, now.toEpochMilli(), utf8(key), value, headers));
    }

    private CompletableFuture<RecordMetadata> send(String topic, String key, Instant timestamp, byte[] value,
            CloudEventAttributes attributes) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.write(headers, attributes);
        return send(new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), utf8(key), value, headers));
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    acked.completeExceptionally(exception);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws when the record cannot even be queued (buffer full past max.block.ms).
            acked.completeExceptionally(e);
        }
        return acked;
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }
}
