package dev.meridian.scheduler.messaging;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.service.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes weights versions, keyed by client region, with CloudEvents headers (binary mode), one transaction per
 * routing round.
 *
 * <p>The transactional id is stable per set of home regions ({@link #transactionalId}): a second instance serving
 * the same home regions fences this one when it starts ({@code initTransactions} bumps the epoch), so two instances
 * never both publish a version number, e.g. the old pod of a rolling update that is still running. Routers read the
 * topic {@code read_committed}; an aborted round is never seen.
 *
 * <p>Not thread-safe: the routing loop owns it.
 */
public final class WeightsPublisher implements AutoCloseable {

    /** Another instance with the same transactional id has taken over; this one must stop publishing for good. */
    public static final class FencedException extends RuntimeException {
        FencedException(String transactionalId, Throwable cause) {
            super("another scheduler instance publishes as " + transactionalId + " (same home regions); this one "
                    + "was fenced and stops publishing", cause);
        }
    }

    private final KafkaClientSettings kafka;
    private final String source;
    private final String transactionalId;
    private KafkaProducer<String, RoutingWeights> producer;

    /** Creates the producer and fences any earlier instance with the same transactional id. */
    public WeightsPublisher(KafkaClientSettings kafka, String source, String transactionalId) {
        this.kafka = kafka;
        this.source = source;
        this.transactionalId = transactionalId;
        this.producer = newProducer();
    }

    /** {@code meridian-scheduler-<home regions, sorted, comma-separated>}: the same for every instance of them. */
    public static String transactionalId(Set<String> homeRegions) {
        return "meridian-scheduler-" + String.join(",", new TreeSet<>(homeRegions));
    }

    public String transactionalId() {
        return transactionalId;
    }

    /**
     * Writes {@code versions} in one transaction and returns once it is committed: only then are they published.
     *
     * @throws FencedException when another instance took over; nothing of this call is visible
     * @throws KafkaException  when the versions were not written (the transaction is aborted); the caller tries
     *                         again with its next round
     */
    public void publish(List<RoutingWeights> versions) {
        if (versions.isEmpty()) {
            return;
        }
        if (producer == null) {
            producer = newProducer();
        }
        try {
            producer.beginTransaction();
            for (RoutingWeights weights : versions) {
                producer.send(record(weights));
            }
            // Flushes and fails if any send failed: a version counts as published only when acknowledged.
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            discardProducer();
            throw new FencedException(transactionalId, e);
        } catch (OutOfOrderSequenceException | AuthorizationException | UnsupportedVersionException
                | TimeoutException e) {
            // Fatal for this producer, or (a commit that timed out) an outcome it cannot settle by aborting: a new
            // producer's initTransactions settles whatever this one left open.
            discardProducer();
            throw e;
        } catch (KafkaException e) {
            abortAfter(e);
            throw e;
        }
    }

    /**
     * Aborts after an abortable error. A fenced producer learns it here at the latest: since Kafka 4's transactions
     * (KIP-890) its send fails with {@code InvalidProducerEpochException}, and the abort with the fencing itself.
     */
    private void abortAfter(KafkaException cause) {
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException e) {
            discardProducer();
            FencedException fenced = new FencedException(transactionalId, e);
            fenced.addSuppressed(cause);
            throw fenced;
        } catch (KafkaException e) {
            cause.addSuppressed(e);
            discardProducer();
        }
    }

    private ProducerRecord<String, RoutingWeights> record(RoutingWeights weights) {
        ProducerRecord<String, RoutingWeights> record = new ProducerRecord<>(TopicCatalog.ROUTING_WEIGHTS,
                weights.clientRegion(), weights);
        CloudEventHeaders.write(record.headers(), CloudEventAttributes.of(ContractType.ROUTING_WEIGHTS, source,
                weights.computedAt(), weights.clientRegion()));
        return record;
    }

    private KafkaProducer<String, RoutingWeights> newProducer() {
        // Transactional (hence idempotent, acks=all): a retried send never duplicates or reorders a client region's
        // versions. linger 0: a version is latency-critical (≤ 1 s from utilization record to weights) and few.
        // max.block 10 s: a broker that is away stalls one round, not the loop for the default minute.
        KafkaProducer<String, RoutingWeights> created = kafka.newProducer("meridian-scheduler-weights", Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(),
                ContractSerdes.routingWeights().serializer());
        try {
            created.initTransactions();
            return created;
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
