package dev.meridian.audit.store;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.audit.crypto.KeyEncryptionKeys;
import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.service.kafka.KafkaLoop;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumes {@code meridian.audit.log.v1} into {@code audit.events}, exactly once.
 *
 * <p>Each poll is one batch: the rows (skipping any whose place in its chain is stored already) and the next offset of
 * every partition they came from, in one PostgreSQL transaction, or split over two (see {@link SplitCopy}). Kafka's
 * own offset commits are never used; on assignment the consumer seeks to the offsets in PostgreSQL
 * ({@link StoredOffsets}). A crash anywhere, of this process or of PostgreSQL, leaves the batch's offsets stored only
 * with all of its rows; the batch is retried until it commits (or the writer is closed, and the next one resumes from
 * the stored offsets), and rows stored without their offsets are skipped then. Reads are {@code read_committed}: the
 * chainer's aborted transactions never become rows.
 *
 * <p>Transactions commit with {@code synchronous_commit = off} (not waiting for their WAL flush). That may lose the
 * last acknowledged batches in a PostgreSQL crash, but never a batch without its offsets: before every batch the
 * writer compares the stored offsets with what it committed, and if PostgreSQL went back it re-reads from there.
 *
 * <p>This class is the consumer loop; how a batch is stored is {@link BatchCopier}'s.
 */
public final class StoreWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());
    public static final String APPLICATION_NAME = "meridian-audit-writer";

    /**
     * @param kafka          the service's Kafka client settings (bootstrap servers, TLS, SASL)
     * @param groupId        consumer group; only for partition assignment, offsets live in PostgreSQL
     * @param maxPollRecords largest batch, i.e. largest transaction
     * @param retryBackoff   pause before a failed batch is tried again
     * @param connections    PostgreSQL connections one batch is written over (1 or 2, see {@link SplitCopy})
     * @param keys           the key-encryption keys records' payloads are sealed under ({@link PayloadVault}); null
     *                       stores them in clear (what benchmarks compare sealing with)
     */
    public record Settings(KafkaClientSettings kafka, String groupId, int maxPollRecords, Duration retryBackoff,
            int connections, Duration maxRetryBackoff, Limits limits, String source, Clock clock,
            KeyEncryptionKeys keys) {
        public Settings {
            Objects.requireNonNull(kafka, "kafka");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(clock, "clock");
            if (connections < 1 || connections > 2) {
                throw new IllegalArgumentException("connections must be 1 or 2, got " + connections);
            }
            if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
                throw new IllegalArgumentException("maxRetryBackoff must not be below retryBackoff");
            }
        }

        /** A plaintext broker, the default limits, backoff up to 30 s, the wall clock, payloads in clear. */
        public Settings(String bootstrap, String groupId, int maxPollRecords, Duration retryBackoff, int connections) {
            this(KafkaClientSettings.plaintext(bootstrap), groupId, maxPollRecords, retryBackoff, connections,
                    Duration.ofSeconds(30).compareTo(retryBackoff) < 0 ? retryBackoff : Duration.ofSeconds(30),
                    Limits.DEFAULT, DEFAULT_SOURCE, Clock.systemUTC(), null);
        }

        /** These settings, sealing payloads under {@code keys}. */
        public Settings withKeys(KeyEncryptionKeys keys) {
            return new Settings(kafka, groupId, maxPollRecords, retryBackoff, connections, maxRetryBackoff, limits,
                    source, clock, keys);
        }
    }

    /** {@code ce_source} of the placeholders the writer stores. */
    public static final String DEFAULT_SOURCE = "/meridian/audit";

    /**
     * The times the store keeps: no older than the retention period (a month retention drops has no anchor to verify
     * from), no further ahead than {@code maxAhead} (the chainer stamps its own clock; further is another writer).
     */
    public record Limits(Duration retention, Duration maxAhead) {
        public static final Limits DEFAULT = new Limits(Duration.ofDays(1095), Duration.ofHours(1));

        public Limits {
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(maxAhead, "maxAhead");
        }

        Instant earliest(Instant now) {
            return now.minus(retention);
        }

        Instant latest(Instant now) {
            return now.plus(maxAhead);
        }

        boolean accepts(Instant time, Instant now) {
            return !time.isBefore(earliest(now)) && !time.isAfter(latest(now));
        }
    }

    private final Settings settings;
    private final WriterMetrics metrics;
    private final String topic = TopicCatalog.AUDIT_LOG;
    private final WriterConnections connections;
    private final StoredOffsets offsets;
    private final BatchCopier copier;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile KafkaLoop loop;
    private volatile boolean healthy = true;

    public StoreWriter(Settings settings, DataSource dataSource, WriterMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.connections = new WriterConnections(dataSource);
        this.offsets = new StoredOffsets(topic);
        this.copier = new BatchCopier(settings, topic, connections, offsets, metrics,
                new PayloadVault(dataSource, settings.keys(), settings.clock()));
    }

    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        loop = KafkaLoop.start("audit-store-writer", settings.retryBackoff(), this::run);
    }

    /** The writer thread runs (it may be retrying a batch). */
    public boolean isAlive() {
        KafkaLoop l = loop;
        return running.get() && l != null && l.isLive();
    }

    /** Running and its last batch committed (or nothing failed yet). */
    public boolean isHealthy() {
        return isAlive() && healthy;
    }

    /**
     * One consumer's life: a failure outside a batch's own retries (the broker, a rebalance) ends it, and the loop
     * starts the next one from the stored offsets.
     */
    private void run(KafkaLoop kafkaLoop) {
        Map<String, Object> own = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        try (KafkaConsumer<String, byte[]> c = kafkaLoop.wakeOnStop(settings.kafka().newConsumer(APPLICATION_NAME,
                own, new StringDeserializer(), new ByteArrayDeserializer()))) {
            consumer = c;
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Nothing to commit: the stored offsets are already the truth.
                    partitions.forEach(partition -> offsets.forget(partition.partition()));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    seekToStored(partitions);
                }
            });
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    writeUntilCommitted(records);
                }
            }
        } catch (RuntimeException e) {
            if (running.get() && !(e instanceof WakeupException)) {
                healthy = false;
            }
            throw e;
        }
    }

    /** Positions the consumer at the stored offsets (the beginning where none is stored) and expects exactly those. */
    private void seekToStored(Collection<TopicPartition> partitions) {
        while (running.get()) {
            try (Connection connection = connections.open()) {
                Map<Integer, Long> stored = offsets.read(connection);
                for (TopicPartition partition : partitions) {
                    Long next = stored.get(partition.partition());
                    if (next != null) {
                        consumer.seek(partition, next);
                        offsets.expect(partition.partition(), next);
                    } else {
                        consumer.seekToBeginning(List.of(partition));
                        offsets.forget(partition.partition());
                    }
                }
                return;
            } catch (SQLException e) {
                healthy = false;
                LOG.log(System.Logger.Level.WARNING, "cannot read stored offsets, retrying: " + e.getMessage());
                pause();
            }
        }
    }

    private void writeUntilCommitted(ConsumerRecords<String, byte[]> records) {
        boolean isolate = false;
        int failures = 0;
        while (running.get()) {
            try {
                if (copier.writeBatch(records, isolate) == BatchCopier.Outcome.TAIL_LOST) {
                    metrics.failed();
                    LOG.log(System.Logger.Level.WARNING, "PostgreSQL no longer holds batches it acknowledged (crash or"
                            + " failover with synchronous_commit off): reading again from the stored offsets");
                    seekToStored(consumer.assignment());
                }
                healthy = true;
                return;
            } catch (SQLException e) {
                metrics.failed();
                if (!isolate && SqlFailures.refusesContent(e)) {
                    // The same batch would fail the same way forever (and wedge every region's audit behind it):
                    // find the refused records, quarantine them, store the rest.
                    LOG.log(System.Logger.Level.WARNING, "PostgreSQL refused a record of a batch of " + records.count()
                            + " (" + e.getSQLState() + "): isolating it");
                    isolate = true;
                    continue;
                }
                healthy = false;
                failures++;
                Duration backoff = backoff(failures);
                LOG.log(System.Logger.Level.WARNING, "audit batch of " + records.count() + " failed (" + e.getSQLState()
                        + "), retrying in " + backoff.toMillis() + " ms: " + e.getMessage());
                pause(backoff);
            }
        }
    }

    /** The pause before the n-th retry of a batch: doubling from retryBackoff up to maxRetryBackoff. */
    Duration backoff(int failures) {
        Duration backoff = settings.retryBackoff();
        for (int i = 1; i < failures && backoff.compareTo(settings.maxRetryBackoff()) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(settings.maxRetryBackoff()) < 0 ? backoff : settings.maxRetryBackoff();
    }

    private void pause() {
        pause(settings.retryBackoff());
    }

    private void pause(Duration backoff) {
        try {
            TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** Stops polling; a batch in flight is committed or rolled back by PostgreSQL, never half-done. */
    @Override
    public void close() {
        running.set(false);
        KafkaLoop l = loop;
        if (l != null) {
            l.stop(Duration.ofSeconds(15));
        }
        copier.close();
    }
}
