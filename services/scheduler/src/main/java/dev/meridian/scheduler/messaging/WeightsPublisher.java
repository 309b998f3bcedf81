package dev.meridian.scheduler.messaging;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.topic.TopicCatalog;
import java.lang.System.Logger.Level;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes weights versions, keyed by client region, with CloudEvents headers (binary mode). */
public final class WeightsPublisher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WeightsPublisher.class.getName());

    private final KafkaProducer<String, RoutingWeights> producer;
    private final String source;

    public WeightsPublisher(String bootstrapServers, String source) {
        this.source = source;
        // Idempotent with acks=all: a retried send never duplicates or reorders a client region's versions.
        // linger 0: a version is latency-critical (≤ 1 s from utilization record to weights) and versions are few.
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "meridian-scheduler-weights",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), ContractSerdes.routingWeights().serializer());
    }

    public void send(RoutingWeights weights) {
        ProducerRecord<String, RoutingWeights> record = new ProducerRecord<>(TopicCatalog.ROUTING_WEIGHTS,
                weights.clientRegion(), weights);
        CloudEventHeaders.write(record.headers(), CloudEventAttributes.of(ContractType.ROUTING_WEIGHTS, source,
                weights.computedAt(), weights.clientRegion()));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                LOG.log(Level.ERROR, "weights version " + weights.version() + " for " + weights.clientRegion()
                        + " was not written", error);
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
