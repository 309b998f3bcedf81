package dev.meridian.multiregion;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.testkit.mirror.MultiRegionKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the outside world writes into each region, on that region's own cluster only: node agents' samples (the
 * Kafka door, {@code meridian.metrics.raw.v1}), latency probes from the region to every region, the registry's
 * rows (Debezium-shaped, in the registry's region only) and audit records naming the region's nodes.
 *
 * <p>The audit service itself is not run here (each region would need its own PostgreSQL and chainer); its
 * records are written to {@code meridian.audit.log.v1} as the chainer would write them, so the wire scan can
 * prove that MirrorMaker never carries them out of the region.
 */
final class SyntheticFleet implements AutoCloseable {

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(2);

    private final Map<String, KafkaProducer<String, byte[]>> producers = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "synthetic-fleet");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong samplesSent = new AtomicLong();

    SyntheticFleet(MultiRegionKafka kafka) {
        for (String region : Regions.ALL) {
            // The region's own, direct listener: agents and probes are local to their region.
            producers.put(region, new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.cluster(region).bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer()));
        }
    }

    /** The registry's regions, as Debezium captures them, in the registry's region. */
    void writeRegistry() {
        KafkaProducer<String, byte[]> producer = producers.get(Regions.REGISTRY_REGION);
        long txId = 1;
        for (String region : Regions.ALL) {
            String key = "{\"name\":\"" + region + "\"}";
            String value = "{\"before\":null,\"after\":{\"name\":\"" + region + "\",\"zone\":\"" + Regions.ZONE.get(region)
                    + "\",\"display_name\":\"" + region + "\",\"changed_by\":\"seed\",\"changed_at\":\"2026-11-27T12:00:00Z\"},"
                    + "\"source\":{\"schema\":\"config\",\"table\":\"regions\",\"txId\":" + txId++ + ",\"ts_ms\":0},"
                    + "\"op\":\"c\",\"ts_ms\":0}";
            producer.send(new ProducerRecord<>(TopicCatalog.fleetConfigTopic("regions"), key,
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    /** Samples every 500 ms per node and probes every 2 s per region pair, until closed. */
    void start() {
        timer.scheduleAtFixedRate(this::sampleAll, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(this::probeAll, 0, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One audit record per node of every region, in that region's chain topic. */
    void writeAuditRecords() {
        for (String region : Regions.ALL) {
            long sequence = 0;
            for (Regions.Pool pool : Regions.POOLS) {
                for (int i = 0; i < pool.nodes(); i++) {
                    String node = Regions.nodeId(region, pool, i);
                    AuditRecord record = new AuditRecord(UUID.randomUUID().toString(), AuditEntryKind.RECORD, region,
                            sequence++, Instant.now(), "system", "fleet.interruption", "node:" + node,
                            "/meridian/metrics-ingest", "dev.meridian.fleet.interruption.v1",
                            ContractJson.mapper().createObjectNode().put("nodeId", node).put("region", region),
                            AuditRecord.GENESIS_HASH, "a".repeat(64), null);
                    send(region, TopicCatalog.AUDIT_LOG, region, record);
                }
            }
            producers.get(region).flush();
        }
    }

    long samplesSent() {
        return samplesSent.get();
    }

    private void sampleAll() {
        Instant now = Instant.now();
        for (String region : Regions.ALL) {
            double load = Regions.LOAD.get(region);
            for (Regions.Pool pool : Regions.POOLS) {
                for (int i = 0; i < pool.nodes(); i++) {
                    String node = Regions.nodeId(region, pool, i);
                    boolean gpu = pool.tier() == Tier.CORE_GPU;
                    NodeMetric sample = new NodeMetric(node, region, region + "-a", pool.name(), pool.tier(),
                            gpu ? "g5.xlarge" : "c7i.xlarge", CapacityType.ON_DEMAND, now, gpu ? 1 : 0,
                            gpu ? load : 0, gpu ? 8_000 : 0, gpu ? 24_000 : 0, load, 50, 1_000, 1_000, null, null);
                    // The Kafka door: agents write NodeMetric JSON without headers, keyed by node id.
                    producers.get(region).send(new ProducerRecord<>(TopicCatalog.METRICS_RAW, node,
                            ContractJson.write(sample)));
                    samplesSent.incrementAndGet();
                }
            }
        }
    }

    private void probeAll() {
        Instant now = Instant.now();
        for (String from : Regions.ALL) {
            for (String to : Regions.ALL) {
                LatencyProbe probe = new LatencyProbe(from, to, Regions.rttMs(from, to), now, "synthetic");
                send(from, TopicCatalog.LATENCY, probe.key(), probe);
            }
        }
    }

    private void send(String region, String topic, String key, Validated value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, ContractJson.write(value));
        CloudEventHeaders.write(record.headers(), CloudEventAttributes.of(ContractType.of(value.getClass()),
                "/synthetic/" + region, Instant.now(), region));
        producers.get(region).send(record);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producers.values().forEach(KafkaProducer::close);
    }
}
