package dev.meridian.fleetsim.emit;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka door: samples as NodeMetric JSON on {@code meridian.metrics.raw.v1} keyed by node (ingest's keying
 * contract), probes on {@code meridian.latency.v1} and notices on {@code meridian.fleet.interruptions.v1} with
 * CloudEvents headers, where ingest's own doors put them too.
 */
public final class KafkaSink implements SampleSink {

    private final KafkaProducer<String, byte[]> producer;
    private final String ceSource;
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;

    public KafkaSink(String bootstrapServers, String ceSource) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        this.ceSource = ceSource;
    }

    @Override
    public void emit(Instant at, List<NodeMetric> samples, List<Interruption> notices, List<LatencyProbe> probes) {
        for (NodeMetric sample : samples) {
            send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, null, at.toEpochMilli(), sample.nodeId(),
                    ContractJson.write(sample)));
        }
        for (Interruption notice : notices) {
            send(TopicCatalog.FLEET_INTERRUPTIONS, notice.nodeId(), notice, ContractType.INTERRUPTION, at,
                    notice.region());
        }
        for (LatencyProbe probe : probes) {
            send(TopicCatalog.LATENCY, probe.key(), probe, ContractType.LATENCY_PROBE, at, probe.fromRegion());
        }
    }

    private void send(String topic, String key, Object value, ContractType type, Instant at, String region) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.write(headers, CloudEventAttributes.of(type, ceSource, at, region));
        send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key, ContractJson.write(value), headers));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        producer.send(record, (metadata, exception) -> {
            if (exception != null) {
                failures.incrementAndGet();
                lastFailure = "Kafka did not accept a record of " + record.topic() + ": " + exception;
            }
        });
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
