package dev.meridian.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.crypto.FileKeyEncryptionKeys;
import dev.meridian.audit.crypto.KeyEncryptionKeys;
import dev.meridian.audit.store.PayloadVault;
import dev.meridian.audit.store.StoreWriter;
import dev.meridian.audit.store.WriterMetrics;
import dev.meridian.audit.streams.AuditTopology;
import dev.meridian.audit.streams.ChainMetrics;
import dev.meridian.auditproof.Canonical;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.topic.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The chainer and the store writer as the service runs them, outside Quarkus, for the real-broker ITs. */
public final class Pipeline {

    public static final DigestSigner SIGNER = DigestSigner.generate("it");

    /** One key-encryption key per test JVM, made at start in a temporary directory: the ITs' payloads are sealed. */
    public static final KeyEncryptionKeys KEYS = testKeys();

    public static final List<String> TOPICS = List.of(TopicCatalog.SCALING_COMMANDS, TopicCatalog.ROUTING_WEIGHTS,
            TopicCatalog.COST_BUDGET_STATUS, TopicCatalog.COST_ALERTS, TopicCatalog.FLEET_INTERRUPTIONS,
            TopicCatalog.AUDIT_OPERATIONS, TopicCatalog.fleetConfigTopic("node_pools"),
            TopicCatalog.fleetConfigTopic("change_log"));

    private Pipeline() {
    }

    public static KafkaStreams chainer(String bootstrap, String applicationId, Duration digestInterval) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("audit-streams").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AuditTopology.Settings settings = new AuditTopology.Settings(TOPICS, "us-east", "/meridian/audit", SIGNER,
                digestInterval, Duration.ofHours(1), Duration.ofSeconds(3),
                TopicCatalog.byName(TopicCatalog.AUDIT_LOG).partitions());
        KafkaStreams streams = new KafkaStreams(AuditTopology.build(settings, ChainMetrics.NONE), props);
        streams.start();
        return streams;
    }

    public static StoreWriter writer(String bootstrap, DataSource dataSource, int batch, CountingMetrics metrics) {
        StoreWriter writer = new StoreWriter(new StoreWriter.Settings(bootstrap, "audit-writer-it", batch,
                Duration.ofMillis(200), 2).withKeys(KEYS), dataSource, metrics);
        writer.start();
        return writer;
    }

    /** Opens what {@link #writer} seals. */
    public static PayloadVault vault(DataSource dataSource) {
        return new PayloadVault(dataSource, KEYS, Clock.systemUTC());
    }

    private static KeyEncryptionKeys testKeys() {
        try {
            Path directory = Files.createTempDirectory("audit-kek-");
            FileKeyEncryptionKeys.generate(directory, "kek-it", true);
            return FileKeyEncryptionKeys.load(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An entry hashed as the chainer hashes, of exactly these fields — none made printable, any time: what a writer
     * other than the chainer (or a chainer of old) can put on the log.
     */
    public static AuditRecord foreignEntry(ChainHead head, String region, Instant time, String actor, String action,
            String resource, JsonNode payload) {
        String id = java.util.UUID.randomUUID().toString();
        String source = "/test";
        String type = "dev.meridian.scaling.command.v1";
        String hash = Canonical.hash(head.lastHash(), id, AuditEntryKind.RECORD, region, head.nextSequence(), time,
                actor, action, resource, source, type, payload);
        return new AuditRecord(id, AuditEntryKind.RECORD, region, head.nextSequence(), Canonical.truncate(time), actor,
                action, resource, source, type, payload, head.lastHash(), hash, null);
    }

    /** Rows stored for a region; -1 while PostgreSQL cannot answer (restarting), for an await to try again. */
    public static long storedRows(DataSource dataSource, String region) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM audit.events WHERE region = ?")) {
            s.setString(1, region);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    public static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Committed records on the audit log (what a read_committed reader sees), counted from its start to its end. */
    public static long auditLogRecords(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(TopicCatalog.AUDIT_LOG).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                    p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                int polled = consumer.poll(Duration.ofMillis(300)).count();
                count += polled;
                if (polled == 0) {
                    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                    if (partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                        break;
                    }
                }
            }
            return count;
        }
    }

    /** Counts what the writer reports. */
    public static final class CountingMetrics implements WriterMetrics {
        public final AtomicInteger written = new AtomicInteger();
        public final AtomicInteger inserted = new AtomicInteger();
        public final AtomicInteger skipped = new AtomicInteger();
        public final AtomicInteger failed = new AtomicInteger();
        public final AtomicInteger quarantined = new AtomicInteger();
        public final Map<String, Integer> quarantinedByKind = new java.util.concurrent.ConcurrentHashMap<>();
        public final AtomicInteger batches = new AtomicInteger();

        @Override
        public void committed(int writtenRows, int rows, int skippedRows, long nanos) {
            batches.incrementAndGet();
            written.addAndGet(writtenRows);
            inserted.addAndGet(rows);
            skipped.addAndGet(skippedRows);
        }

        @Override
        public void failed() {
            failed.incrementAndGet();
        }

        @Override
        public void quarantined(String kind) {
            quarantined.incrementAndGet();
            quarantinedByKind.merge(kind, 1, Integer::sum);
        }
    }
}
