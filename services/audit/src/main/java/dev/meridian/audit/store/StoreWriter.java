package dev.meridian.audit.store;

import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.topic.TopicCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.PGConnection;

/**
 * Consumes {@code meridian.audit.log.v1} into {@code audit.events}, exactly once.
 *
 * <p>Each poll is one batch: the rows (skipping any whose place in its chain is stored already) and the next offset of
 * every partition they came from, in one PostgreSQL transaction, or split over two (see {@link #writeSplit}). Kafka's
 * own offset commits are never used; on assignment the consumer seeks to the offsets in PostgreSQL. A crash anywhere,
 * of this process or of PostgreSQL, leaves the batch's offsets stored only with all of its rows; the batch is retried
 * until it commits (or the writer is closed, and the next one resumes from the stored offsets), and rows stored
 * without their offsets are skipped then. Reads are {@code read_committed}: the chainer's aborted transactions never
 * become rows.
 *
 * <p>Transactions commit with {@code synchronous_commit = off} (not waiting for their WAL flush). That may lose the
 * last acknowledged batches in a PostgreSQL crash, but never a batch without its offsets: before every batch the
 * writer compares the stored offsets with what it committed, and if PostgreSQL went back it re-reads from there.
 */
public final class StoreWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());
    public static final String APPLICATION_NAME = "meridian-audit-writer";

    private static final String INSERT = "INSERT INTO " + AuditSchema.EVENTS + " (id, kind, region, sequence, time, actor,"
            + " action, resource, source, type, payload, previous_hash, hash, signature)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String COLUMNS = CopyStream.COLUMNS;
    private static final String STAGING = "audit_staging";
    private static final String UNIQUE_VIOLATION = SqlFailures.UNIQUE_VIOLATION;
    private static final String SYNCHRONOUS_COMMIT_OFF = "SET LOCAL synchronous_commit = off";
    private static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS audit_staging (id text, kind text,"
            + " region text, sequence bigint, time timestamptz, actor text, action text, resource text, source text,"
            + " type text, payload jsonb, previous_hash text, hash text, signature text) ON COMMIT DELETE ROWS";
    private static final String INSERT_FROM_STAGING = "INSERT INTO " + AuditSchema.EVENTS + " (" + COLUMNS + ") SELECT "
            + COLUMNS + " FROM audit_staging ON CONFLICT DO NOTHING";
    private static final String UPSERT_OFFSET = "INSERT INTO " + AuditSchema.OFFSETS + " (topic, partition, next_offset)"
            + " VALUES (?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE"
            + " SET next_offset = greatest(" + AuditSchema.OFFSETS + ".next_offset, excluded.next_offset), updated_at = now()";
    private static final String TOPIC_LOCK = "SELECT pg_advisory_xact_lock(hashtext(?))";
    private static final String LOCK_OFFSETS = "SELECT partition, next_offset FROM " + AuditSchema.OFFSETS
            + " WHERE topic = ? FOR UPDATE";

    /**
     * @param bootstrap      Kafka bootstrap servers
     * @param groupId        consumer group; only for partition assignment, offsets live in PostgreSQL
     * @param maxPollRecords largest batch, i.e. largest transaction
     * @param retryBackoff   pause before a failed batch is tried again
     * @param clientProperties further consumer properties (TLS, SASL) under the writer's own settings
     * @param connections    PostgreSQL connections one batch is written over (1 or 2, see {@link #writeSplit})
     */
    public record Settings(String bootstrap, String groupId, int maxPollRecords, Duration retryBackoff,
            Map<String, Object> clientProperties, int connections, Duration maxRetryBackoff, Limits limits,
            String source, Clock clock) {
        public Settings {
            Objects.requireNonNull(bootstrap, "bootstrap");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(clock, "clock");
            clientProperties = Map.copyOf(clientProperties);
            if (connections < 1 || connections > 2) {
                throw new IllegalArgumentException("connections must be 1 or 2, got " + connections);
            }
            if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
                throw new IllegalArgumentException("maxRetryBackoff must not be below retryBackoff");
            }
        }

        /** A plaintext broker, the default limits, backoff up to 30 s, the wall clock. */
        public Settings(String bootstrap, String groupId, int maxPollRecords, Duration retryBackoff, int connections) {
            this(bootstrap, groupId, maxPollRecords, retryBackoff, Map.of(), connections,
                    Duration.ofSeconds(30).compareTo(retryBackoff) < 0 ? retryBackoff : Duration.ofSeconds(30),
                    Limits.DEFAULT, DEFAULT_SOURCE, Clock.systemUTC());
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
    private final DataSource dataSource;
    private final WriterMetrics metrics;
    private final String topic = TopicCatalog.AUDIT_LOG;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Set<YearMonth> knownPartitions = new HashSet<>();
    /** Per owned partition, the next offset this writer saw committed (only the writer thread touches it). */
    private final Map<Integer, Long> committedNext = new HashMap<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean healthy = true;
    /** Runs the first half of a split batch; only with two connections. */
    private final ExecutorService secondConnection;

    public StoreWriter(Settings settings, DataSource dataSource, WriterMetrics metrics) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.secondConnection = settings.connections() < 2 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread copier = new Thread(r, "audit-store-writer-copy");
            copier.setDaemon(true);
            return copier;
        });
    }

    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Map<String, Object> props = new HashMap<>(settings.clientProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "audit-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** The writer thread runs (it may be retrying a batch). */
    public boolean isAlive() {
        Thread t = thread;
        return running.get() && t != null && t.isAlive();
    }

    /** Running and its last batch committed (or nothing failed yet). */
    public boolean isHealthy() {
        Thread t = thread;
        return running.get() && t != null && t.isAlive() && healthy;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Nothing to commit: the stored offsets are already the truth.
                    partitions.forEach(partition -> committedNext.remove(partition.partition()));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    seekToStored(partitions);
                }
            });
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    writeUntilCommitted(records);
                }
            }
        } catch (WakeupException e) {
            // close() was called.
        } catch (RuntimeException e) {
            healthy = false;
            LOG.log(System.Logger.Level.ERROR, "audit store writer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Positions the consumer at the stored offsets (the beginning where none is stored) and expects exactly those. */
    private void seekToStored(Collection<TopicPartition> partitions) {
        while (running.get()) {
            try (Connection connection = connection()) {
                Map<Integer, Long> stored = storedOffsets(connection);
                for (TopicPartition partition : partitions) {
                    Long next = stored.get(partition.partition());
                    if (next != null) {
                        consumer.seek(partition, next);
                        committedNext.put(partition.partition(), next);
                    } else {
                        consumer.seekToBeginning(List.of(partition));
                        committedNext.remove(partition.partition());
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
                Outcome outcome = isolate ? writeIsolating(records)
                        : secondConnection == null ? write(records, false) : writeSplit(records);
                if (outcome == Outcome.DUPLICATE) {
                    // An entry of the batch is stored already (a replay after the offsets were lost, or a record the
                    // log holds twice): the slower set-based path skips it.
                    outcome = write(records, true);
                }
                if (outcome == Outcome.TAIL_LOST) {
                    metrics.failed();
                    LOG.log(System.Logger.Level.WARNING, "PostgreSQL no longer holds batches it acknowledged (crash or"
                            + " failover with synchronous_commit off): reading again from the stored offsets");
                    // Partitions the writer created in those transactions are gone with them.
                    knownPartitions.clear();
                    seekToStored(consumer.assignment());
                }
                healthy = true;
                return;
            } catch (SQLException e) {
                metrics.failed();
                // A partition may have been dropped (retention) or the database replaced: check them again.
                knownPartitions.clear();
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

    private enum Outcome { COMMITTED, DUPLICATE, TAIL_LOST }

    /**
     * One batch, one transaction. Rows are streamed by COPY straight into {@code audit.events}; if one of them is there
     * already the transaction is rolled back and the caller repeats the batch with {@code viaStaging}: COPY into a
     * session staging table, then one {@code INSERT … SELECT … ON CONFLICT DO NOTHING}. Staging every batch would cost
     * each row a second write, for a case that needs a replay to happen.
     */
    /**
     * One batch over two connections, for a PostgreSQL that can insert on two cores: its rows are parsed first, half
     * are copied on a second connection while the other half are copied on the first, which also holds the offsets'
     * lock; the second commits first, then the first with the offsets. Both sides parse and maintain the indexes of
     * their rows in parallel, which is where a row's time goes (services/audit/README.md).
     *
     * <p>Exactly once still holds, because an entry's place in its chain is unique in the table: if the first
     * connection fails after the second committed, the batch is read again, its first half is found stored, and the
     * staging path skips it. Until then the stored offsets did not move, so lostTail() is unaffected.
     */
    private Outcome writeSplit(ConsumerRecords<String, byte[]> records) throws SQLException {
        long started = System.nanoTime();
        try (Connection offsets = connection(); Connection second = connection()) {
            Map<Integer, Long> stored = openBatch(offsets);
            if (stored == null) {
                return Outcome.TAIL_LOST;
            }
            Instant now = settings.clock().instant();
            Admitted batch = admitAll(records, stored, now);
            List<LogEntry> entries = batch.entries();
            List<Refusal> refusals = batch.refusals();
            Map<Integer, Long> next = batch.next();
            Set<YearMonth> months = batch.months();
            Quarantine.months(refusals, now, settings.limits(), months);
            if (!distinctPlaces(entries)) {
                // The log holding an entry twice in one batch: split, the half copying it second would wait on the
                // other's open transaction, which waits for this thread. Staging skips the repeat instead.
                offsets.rollback();
                return Outcome.DUPLICATE;
            }
            // Committed on their own before either copy starts: a month created inside one of the two transactions
            // would keep the other waiting for a commit that waits for it.
            second.setAutoCommit(true);
            for (YearMonth month : months) {
                if (!knownPartitions.contains(month)) {
                    AuditSchema.ensurePartition(second, month);
                }
            }
            beginBatch(second);
            int half = entries.size() / 2;
            Future<Long> secondHalf = secondConnection.submit(() -> copyAll(second, entries.subList(0, half)));
            long copied = 0;
            Throwable failure = null;
            try {
                copied = copyAll(offsets, entries.subList(half, entries.size()));
            } catch (SQLException | RuntimeException e) {
                failure = e;
                // Ends the other half's COPY on the server instead of letting it stream (or wait on a lock) to its end.
                cancelQuietly(second);
            }
            // Waited for in every case: the connection may not be rolled back, closed or pooled while still in use.
            try {
                copied += awaitUninterruptibly(secondHalf);
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
            if (failure != null) {
                rollbackQuietly(offsets); // first: the offset locks are what another writer may be waiting for
                rollbackQuietly(second);
                return duplicateOrThrow(failure);
            }
            try {
                second.commit();
                Quarantine.store(offsets, topic, refusals, settings.source(), now, settings.limits(), months);
                upsertOffsets(offsets, next);
                offsets.commit();
            } catch (SQLException e) {
                rollbackQuietly(offsets);
                throw e;
            }
            return committed(months, next, stored, new Counts(copied, copied, batch.skipped(), refusals), started);
        }
    }

    /**
     * The record as an entry the store can take, or null after adding why not to {@code refusals}: it is not an
     * audit entry at all, or its content or time is one the store must not hold.
     */
    private LogEntry admit(ConsumerRecord<String, byte[]> record, Instant now, List<Refusal> refusals) {
        LogEntry entry;
        try {
            entry = LogEntry.parse(record.value());
        } catch (RuntimeException e) {
            refusals.add(new Refusal(Refusal.Kind.MALFORMED, "not an audit entry: " + e.getMessage(),
                    record.partition(), record.offset(), record.value(), null));
            return null;
        }
        Refusal refusal = entry.screen(record.partition(), record.offset(), record.value(), settings.limits(), now);
        if (refusal != null) {
            refusals.add(refusal);
            return null;
        }
        return entry;
    }

    /** An entry of the batch with where it was read, for the isolating path's refusals. */
    private record Read(LogEntry entry, ConsumerRecord<String, byte[]> record) {
    }

    /**
     * A batch parsed whole (the split and isolating paths; the one-connection path streams instead): the entries to
     * copy, the records refused, the next offset per partition, how many were stored already, the months touched.
     */
    private record Admitted(List<Read> reads, List<Refusal> refusals, Map<Integer, Long> next, int skipped,
            Set<YearMonth> months) {
        List<LogEntry> entries() {
            List<LogEntry> entries = new ArrayList<>(reads.size());
            reads.forEach(read -> entries.add(read.entry()));
            return entries;
        }
    }

    private Admitted admitAll(ConsumerRecords<String, byte[]> records, Map<Integer, Long> stored, Instant now) {
        Map<Integer, Long> next = new HashMap<>();
        List<Refusal> refusals = new ArrayList<>();
        List<Read> reads = new ArrayList<>(records.count());
        Set<YearMonth> months = new HashSet<>();
        int skipped = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            next.merge(record.partition(), record.offset() + 1, Math::max);
            Long storedNext = stored.get(record.partition());
            if (storedNext != null && record.offset() < storedNext) {
                skipped++;
                continue;
            }
            LogEntry entry = admit(record, now, refusals);
            if (entry != null) {
                reads.add(new Read(entry, record));
                months.add(YearMonth.from(entry.time().atOffset(ZoneOffset.UTC)));
            }
        }
        return new Admitted(reads, refusals, next, skipped, months);
    }

    /**
     * The batch PostgreSQL refused for some record's content, in one transaction on one connection: its entries are
     * stored through staging by {@link Bisection}, one savepoint per attempt, so the refused ones are found in
     * O(k·log n) attempts; they are quarantined with placeholders and the batch commits with its offsets like any
     * other. Slower than the other paths, and only taken after one of them failed that way.
     */
    private Outcome writeIsolating(ConsumerRecords<String, byte[]> records) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = connection()) {
            try {
                Map<Integer, Long> stored = openBatch(connection);
                if (stored == null) {
                    return Outcome.TAIL_LOST;
                }
                Instant now = settings.clock().instant();
                Admitted batch = admitAll(records, stored, now);
                List<Refusal> refusals = batch.refusals();
                Set<YearMonth> months = batch.months();
                for (YearMonth month : months) {
                    AuditSchema.ensurePartition(connection, month);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute(CREATE_STAGING);
                }
                long[] inserted = {0};
                long[] copied = {0};
                List<Bisection.Refused<Read>> refused = Bisection.storeAllBut(batch.reads(), part -> {
                    Savepoint savepoint = connection.setSavepoint();
                    CopyStream copy = CopyStream.open(connection, STAGING);
                    try {
                        for (Read read : part) {
                            copy.row(read.entry());
                        }
                        long rows = copy.end();
                        try (Statement statement = connection.createStatement()) {
                            long added = statement.executeUpdate(INSERT_FROM_STAGING);
                            statement.execute("DELETE FROM " + STAGING);
                            inserted[0] += added;
                        }
                        copied[0] += rows;
                        connection.releaseSavepoint(savepoint);
                    } catch (SQLException | RuntimeException e) {
                        copy.cancel();
                        connection.rollback(savepoint);
                        throw e;
                    }
                }, SqlFailures::refusesContent);
                for (Bisection.Refused<Read> poison : refused) {
                    ConsumerRecord<String, byte[]> record = poison.item().record();
                    refusals.add(new Refusal(Refusal.Kind.REFUSED_BY_STORE, "PostgreSQL " + poison.cause().getSQLState()
                            + ": " + poison.cause().getMessage(), record.partition(), record.offset(), record.value(),
                            poison.item().entry()));
                }
                Quarantine.store(connection, topic, refusals, settings.source(), now, settings.limits(), months);
                upsertOffsets(connection, batch.next());
                connection.commit();
                return committed(months, batch.next(), stored, new Counts(copied[0], inserted[0], batch.skipped(),
                        refusals), started);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    private static boolean distinctPlaces(List<LogEntry> entries) {
        Set<String> places = new HashSet<>(entries.size() * 2);
        for (LogEntry entry : entries) {
            if (!places.add(entry.region() + "/" + entry.sequence())) {
                return false;
            }
        }
        return true;
    }

    private static long copyAll(Connection connection, List<LogEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return 0;
        }
        CopyStream copy = CopyStream.open(connection, AuditSchema.EVENTS);
        try {
            for (LogEntry entry : entries) {
                copy.row(entry);
            }
            return copy.end();
        } catch (SQLException | RuntimeException e) {
            copy.cancel();
            throw e;
        }
    }

    /** A unique violation means an entry is stored already: the caller repeats the batch through staging. */
    private static Outcome duplicateOrThrow(Throwable failure) throws SQLException {
        if (failure instanceof SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        throw new SQLException("copy failed", failure);
    }

    private static long awaitUninterruptibly(Future<Long> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void cancelQuietly(Connection connection) {
        try {
            connection.unwrap(PGConnection.class).cancelQuery();
        } catch (SQLException ignored) {
            // Then the copy ends by itself; it is waited for either way.
        }
    }

    private Outcome write(ConsumerRecords<String, byte[]> records, boolean viaStaging) throws SQLException {
        long started = System.nanoTime();
        Set<YearMonth> created = new HashSet<>();
        try (Connection connection = connection()) {
            CopyStream copy = null;
            try {
                Map<Integer, Long> stored = openBatch(connection);
                if (stored == null) {
                    return Outcome.TAIL_LOST;
                }
                if (viaStaging) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(CREATE_STAGING);
                    }
                }
                String target = viaStaging ? STAGING : AuditSchema.EVENTS;
                Map<Integer, Long> next = new HashMap<>();
                List<Refusal> refusals = new ArrayList<>();
                Instant now = settings.clock().instant();
                int skipped = 0;
                long copied = 0;
                for (ConsumerRecord<String, byte[]> record : records) {
                    next.merge(record.partition(), record.offset() + 1, Math::max);
                    Long storedNext = stored.get(record.partition());
                    if (storedNext != null && record.offset() < storedNext) {
                        skipped++;
                        continue;
                    }
                    LogEntry entry = admit(record, now, refusals);
                    if (entry == null) {
                        continue;
                    }
                    YearMonth month = YearMonth.from(entry.time().atOffset(ZoneOffset.UTC));
                    if (!knownPartitions.contains(month) && created.add(month)) {
                        // No other statement can run inside a COPY: end it, create the month, go on in a new one.
                        if (copy != null) {
                            copied += copy.end();
                            copy = null;
                        }
                        AuditSchema.ensurePartition(connection, month);
                    }
                    if (copy == null) {
                        copy = CopyStream.open(connection, target);
                    }
                    copy.row(entry);
                }
                if (copy != null) {
                    copied += copy.end();
                    copy = null;
                }
                long inserted = copied;
                if (viaStaging && copied > 0) {
                    try (Statement statement = connection.createStatement()) {
                        inserted = statement.executeUpdate(INSERT_FROM_STAGING);
                    }
                }
                Set<YearMonth> ready = new HashSet<>(knownPartitions);
                ready.addAll(created);
                Quarantine.store(connection, topic, refusals, settings.source(), now, settings.limits(), ready);
                ready.removeAll(knownPartitions);
                created.addAll(ready);
                upsertOffsets(connection, next);
                connection.commit();
                return committed(created, next, stored, new Counts(copied, inserted, skipped, refusals), started);
            } catch (SQLException e) {
                if (copy != null) {
                    copy.cancel();
                }
                rollbackQuietly(connection);
                if (!viaStaging && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    return Outcome.DUPLICATE;
                }
                throw e;
            } catch (RuntimeException e) {
                if (copy != null) {
                    copy.cancel();
                }
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    private record Counts(long copied, long inserted, int skipped, List<Refusal> refusals) {
    }

    /** After a batch committed: what the writer now knows of PostgreSQL, and the batch's metrics. */
    private Outcome committed(Set<YearMonth> months, Map<Integer, Long> next, Map<Integer, Long> stored, Counts counts,
            long started) {
        knownPartitions.addAll(months);
        // What PostgreSQL now holds for the batch's partitions: greatest(stored, next), as the upsert did.
        next.forEach((partition, offset) -> committedNext.put(partition,
                Math.max(offset, stored.getOrDefault(partition, offset))));
        for (Refusal refusal : counts.refusals()) {
            metrics.quarantined(refusal.kind().tag());
            LOG.log(System.Logger.Level.WARNING, "quarantined the audit log record at " + topic + "-"
                    + refusal.partition() + "@" + refusal.offset() + " (" + refusal.kind().tag() + "): "
                    + refusal.reason());
        }
        metrics.committed((int) counts.copied(), (int) counts.inserted(), counts.skipped(), System.nanoTime() - started);
        return Outcome.COMMITTED;
    }

    /**
     * {@code synchronous_commit = off} is safe because the offsets commit with (or, split, after) the rows: a crash that
     * loses acknowledged transactions loses the offsets too, and lostTail() notices that the stored offsets went back
     * and re-reads from them. Without it every batch waits for its WAL flush, which measured 13-20 % of the writer's
     * time (services/audit/README.md).
     */
    /**
     * Begins a batch's transaction on the connection that commits the offsets and locks this topic's offset rows (two
     * writers overlapping in a rebalance take turns, and the second skips what the first stored).
     *
     * @return the stored offsets; null, rolled back, when PostgreSQL lost batches it acknowledged (see lostTail())
     */
    private Map<Integer, Long> openBatch(Connection connection) throws SQLException {
        beginBatch(connection);
        Map<Integer, Long> stored = lockOffsets(connection);
        if (lostTail(stored)) {
            connection.rollback();
            return null;
        }
        return stored;
    }

    private static void beginBatch(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(SYNCHRONOUS_COMMIT_OFF);
        }
    }

    private void upsertOffsets(Connection connection, Map<Integer, Long> next) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_OFFSET)) {
            for (Map.Entry<Integer, Long> offset : next.entrySet()) {
                upsert.setString(1, topic);
                upsert.setInt(2, offset.getKey());
                upsert.setLong(3, offset.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * Whether PostgreSQL holds less than this writer committed for a partition it still owns: acknowledged
     * transactions were lost (a crash with {@code synchronous_commit = off}, or a failover to a replica that had not
     * received them). Rows and offsets went together, so reading again from the stored offsets repairs it; carrying on
     * would store later offsets over the gap and lose those records for good.
     */
    private boolean lostTail(Map<Integer, Long> stored) {
        for (Map.Entry<Integer, Long> committed : committedNext.entrySet()) {
            Long now = stored.get(committed.getKey());
            if (now == null || now < committed.getValue()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Inserts entries outside the consumer loop (loading a store for benchmarks and tests), creating the partitions
     * they need; entries whose place in their chain is stored already are skipped. The caller owns the transaction.
     *
     * @return rows inserted
     */
    public static int insertAll(Connection connection, Collection<AuditRecord> entries) throws SQLException {
        Set<YearMonth> months = new HashSet<>();
        for (AuditRecord entry : entries) {
            if (months.add(YearMonth.from(entry.time().atOffset(ZoneOffset.UTC)))) {
                AuditSchema.ensurePartition(connection, YearMonth.from(entry.time().atOffset(ZoneOffset.UTC)));
            }
        }
        int inserted = 0;
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (AuditRecord entry : entries) {
                bind(insert, entry);
                insert.addBatch();
            }
            for (int count : insert.executeBatch()) {
                inserted += Math.max(count, 0);
            }
        }
        return inserted;
    }

    private static void bind(PreparedStatement insert, AuditRecord entry) throws SQLException {
        bind(insert, new LogEntry(entry.id(), entry.kind().name(), entry.region(), entry.sequence(), entry.time(),
                entry.actor(), entry.action(), entry.resource(), entry.source(), entry.type(), entry.payload().toString(),
                entry.previousHash(), entry.hash(), entry.signature()));
    }

    private static void bind(PreparedStatement insert, LogEntry entry) throws SQLException {
        insert.setString(1, entry.id());
        insert.setString(2, entry.kind());
        insert.setString(3, entry.region());
        insert.setLong(4, entry.sequence());
        insert.setObject(5, entry.time().atOffset(ZoneOffset.UTC));
        insert.setString(6, entry.actor());
        insert.setString(7, entry.action());
        insert.setString(8, entry.resource());
        insert.setString(9, entry.source());
        insert.setString(10, entry.type());
        insert.setString(11, entry.payloadJson());
        insert.setString(12, entry.previousHash());
        insert.setString(13, entry.hash());
        insert.setString(14, entry.signature());
    }

    private Connection connection() throws SQLException {
        Connection connection = dataSource.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private Map<Integer, Long> storedOffsets(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT partition, next_offset FROM " + AuditSchema.OFFSETS + " WHERE topic = ?")) {
            select.setString(1, topic);
            return offsets(select);
        }
    }

    private Map<Integer, Long> lockOffsets(Connection connection) throws SQLException {
        // Row locks only hold rows that exist: before a partition's first offset is stored (a new store, or offsets
        // reset by hand) two writers overlapping in a rebalance would both go ahead, and split over two connections
        // each could wait on rows the other's second connection holds, where PostgreSQL sees no deadlock.
        try (PreparedStatement lock = connection.prepareStatement(TOPIC_LOCK)) {
            lock.setString(1, topic);
            lock.execute();
        }
        try (PreparedStatement select = connection.prepareStatement(LOCK_OFFSETS)) {
            select.setString(1, topic);
            return offsets(select);
        }
    }

    private static Map<Integer, Long> offsets(PreparedStatement select) throws SQLException {
        Map<Integer, Long> offsets = new HashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                offsets.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return offsets;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is gone; PostgreSQL rolled the transaction back itself.
        }
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
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (secondConnection != null) {
            // Not shutdownNow: a half already handed over runs to its end, so nobody waits for a dropped task.
            secondConnection.shutdown();
        }
    }

    /** For health: the stored position of each partition. */
    public static Map<Integer, Long> storedOffsets(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT partition, next_offset FROM " + AuditSchema.OFFSETS + " WHERE topic = ?")) {
            select.setString(1, TopicCatalog.AUDIT_LOG);
            return offsets(select);
        }
    }

}
