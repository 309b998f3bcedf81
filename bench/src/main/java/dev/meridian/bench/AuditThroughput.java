package dev.meridian.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.audit.chain.Operation;
import dev.meridian.audit.crypto.FileKeyEncryptionKeys;
import dev.meridian.audit.crypto.KeyEncryptionKeys;
import dev.meridian.audit.store.AuditSchema;
import dev.meridian.audit.store.EventFilter;
import dev.meridian.audit.store.EventStore;
import dev.meridian.audit.store.PayloadVault;
import dev.meridian.audit.store.StoreWriter;
import dev.meridian.audit.store.WriterMetrics;
import dev.meridian.auditproof.Merkle;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.kafka.KafkaCluster;
import dev.meridian.testkit.postgres.PostgresServer;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The audit targets against an in-process broker and a real PostgreSQL, in one run:
 * <ol>
 *   <li><b>fill</b> (set-up): M synthetic rows over 12 months, 5 regions and 1,000 actors, generated in PostgreSQL;</li>
 *   <li><b>search</b>: p50/p99 of the API's query (newest first, 100 rows) for one region in a random window of 1 hour
 *       to 30 days, for one actor, and for one actor in such a window;</li>
 *   <li><b>export</b>: one region's rows (M/5) streamed as CSV and NDJSON by the export code of the API;</li>
 *   <li><b>write</b>: N chained records preloaded on {@code meridian.audit.log.v1}; the store writer drains them into
 *       the filled store (one transaction per batch, offsets included), timed against a plain consumer deserializing
 *       them.</li>
 * </ol>
 *
 * <pre>bench/run AuditThroughput [write records, default 200000] [search rows, default 2000000] [queries, default 1000]
 *     [writer batch, default 5000] [writer warm-up records, default 100000]</pre>
 *
 * The writer and the plain consumer are timed over the write records after their warm-up records: a writer runs for
 * months, and on two cores the JIT compiling its hot path (half a core for the first seconds) would otherwise take CPU
 * from PostgreSQL in a run of a few seconds.
 *
 * A count of 0 skips that part (search rows 0 skips the fill and export too).
 */
public final class AuditThroughput {

    private static final List<String> REGIONS = List.of("us-east", "us-west", "eu-west", "eu-central", "ap-southeast");
    /** The service's default {@code meridian.audit.writer.max-poll-records}. */
    private static final int WRITER_BATCH = 5000;
    private static final Instant YEAR_START = Instant.parse("2025-12-01T00:00:00Z");

    private AuditThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int writeRecords = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int searchRows = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : WRITER_BATCH;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
        int connections = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        try (KafkaCluster kafka = KafkaCluster.builder().name("audit-bench").createCatalogTopics(true).start();
                PostgresServer postgres = PostgresServer.builder().serverConfig("shared_buffers", "512MB")
                        .serverConfig("max_wal_size", "4GB").start();
                AgroalDataSource dataSource = pool(postgres)) {
            AuditSchema.migrate(dataSource);
            digests(20_000);
            if (searchRows > 0) {
                fill(dataSource, searchRows);
                search(dataSource, queries);
                export(dataSource);
            }
            if (writeRecords > 0) {
                // Last, so the writer inserts into a store already holding the search rows (and their indexes).
                write(kafka.bootstrapServers(), dataSource, writeRecords, warmup, batch, connections, searchRows);
            }
        }
    }

    private static AgroalDataSource pool(PostgresServer postgres) throws java.sql.SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(pool -> pool
                .maxSize(4)
                .connectionFactoryConfiguration(factory -> factory
                        .jdbcUrl(postgres.jdbcUrl() + "?reWriteBatchedInserts=true")
                        .principal(new NamePrincipal(postgres.username()))
                        .credential(new SimplePassword(postgres.password())))));
    }

    // ---- write ---------------------------------------------------------------------------------------------------

    private static void write(String bootstrap, AgroalDataSource dataSource, int n, int warmup, int batch,
            int connections, int rowsBefore) throws Exception {
        Map<String, ChainHead> heads = new HashMap<>();
        long preload = System.nanoTime();
        Instant now = Instant.now();
        Instant first = now.minusSeconds(1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < warmup + n; i++) {
                String region = REGIONS.get(i % REGIONS.size());
                ChainHead head = heads.computeIfAbsent(region, r -> Chains.genesis());
                AuditRecord entry = Chains.record(head, new Operation(UUID.randomUUID().toString(), now.plusMillis(i),
                        region, "/meridian/scaler/" + region, "scale.scale_out", "pool:" + region + "/gpu-" + (i % 20),
                        "/meridian/scaler/" + region, "dev.meridian.scaling.command.v1",
                        JsonNodeFactory.instance.objectNode().put("pool", "gpu-" + (i % 20)).put("desiredNodes", i % 50)
                                .put("reason", "utilization above 80 % for 3 windows")));
                heads.put(region, Chains.advance(head, entry));
                producer.send(new ProducerRecord<>(TopicCatalog.AUDIT_LOG, region, ContractJson.write(entry)));
            }
            producer.flush();
        }
        System.out.printf("write: preloaded %,d + %,d (warm-up) chained records in %.1f s%n", n, warmup,
                seconds(preload));

        double plainSeconds = plainConsumer(bootstrap, warmup, n);
        double plainRate = n / plainSeconds;
        System.out.printf("write: plain consumer (deserialize only) %,.0f records/s%n", plainRate);

        // The same records twice into the same store: payloads in clear, then sealed as the service stores them
        // (AES-256-GCM under a data key wrapped by a file KEK), so the ratio is what encryption at rest costs.
        double clearRate = drain(bootstrap, dataSource, null, "clear", n, warmup, batch, connections, rowsBefore,
                plainRate);
        forget(dataSource, first);
        Path kek = Files.createTempDirectory("audit-bench-kek-");
        FileKeyEncryptionKeys.generate(kek, "bench", true);
        double sealedRate = drain(bootstrap, dataSource, FileKeyEncryptionKeys.load(kek), "sealed", n, warmup, batch,
                connections, rowsBefore, plainRate);
        System.out.printf("write: sealed/clear = %.2f (%,.0f vs %,.0f records/s, same records, same store)%n",
                sealedRate / clearRate, sealedRate, clearRate);
    }

    /** Drains the preloaded log into the store with a fresh writer; returns its records/s after the warm-up. */
    private static double drain(String bootstrap, AgroalDataSource dataSource, KeyEncryptionKeys keys, String label,
            int n, int warmup, int batch, int connections, int rowsBefore, double plainRate) throws Exception {
        AtomicLong stored = new AtomicLong();
        AtomicLong inTransactions = new AtomicLong();
        try (StoreWriter writer = new StoreWriter(new StoreWriter.Settings(bootstrap, "audit-bench-writer-" + label,
                batch, Duration.ofMillis(200), connections).withKeys(keys), dataSource, new WriterMetrics() {
                    @Override
                    public void committed(int written, int inserted, int skipped, long nanos) {
                        stored.addAndGet(written);
                        inTransactions.addAndGet(nanos);
                    }

                    @Override
                    public void failed() {
                    }

                    @Override
                    public void quarantined(String kind) {
                    }
                })) {
            writer.start();
            while (stored.get() < warmup) {
                Thread.sleep(20);
            }
            long warmStored = stored.get();
            long warmInTransactions = inTransactions.get();
            long writerStart = System.nanoTime();
            while (stored.get() < warmup + n) {
                Thread.sleep(20);
            }
            double writerSeconds = seconds(writerStart);
            long timed = stored.get() - warmStored;
            double writeRate = timed / writerSeconds;
            System.out.printf("write (%s): store writer %,d records in %.2f s = %,.0f records/s (target >= 20,000;"
                    + " batches of %,d over %d connection(s), after %,d warm-up records, into a store already holding"
                    + " %,d rows)%n", label, timed, writerSeconds, writeRate, batch, connections, warmStored,
                    rowsBefore + warmStored);
            System.out.printf("write (%s): %.2f s of it inside PostgreSQL transactions (parse, seal, COPY, insert,"
                    + " offsets, commit); writer/plain = %.2f%n", label,
                    (inTransactions.get() - warmInTransactions) / 1e9, writeRate / plainRate);
            return writeRate;
        }
    }

    /** Removes what a drain stored (entries from {@code since} on, offsets, data keys), so the next starts alike. */
    private static void forget(AgroalDataSource dataSource, Instant since) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("DELETE FROM " + AuditSchema.EVENTS + " WHERE time >= '" + since + "'");
            statement.execute("DELETE FROM " + AuditSchema.OFFSETS);
            statement.execute("DELETE FROM " + AuditSchema.SCHEMA + ".data_keys");
            statement.execute("VACUUM ANALYZE " + AuditSchema.EVENTS);
        }
    }

    /** Seconds the plain consumer took for the {@code n} records after the first {@code warmup}. */
    private static double plainConsumer(String bootstrap, int warmup, int n) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(TopicCatalog.AUDIT_LOG).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                    p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long started = System.nanoTime();
            while (read < warmup + n) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ContractJson.read(record.value(), AuditRecord.class);
                    if (++read == warmup) {
                        started = System.nanoTime();
                    }
                }
            }
            return seconds(started);
        }
    }

    // ---- fill ----------------------------------------------------------------------------------------------------

    /**
     * M synthetic rows, 1/5 per region, evenly over the 12 months from {@link #YEAR_START}, 1,000 actors. Set-up, not a
     * measurement: generated inside PostgreSQL, each month into a detached table that is then attached as the month's
     * partition (PostgreSQL builds the schema's indexes on it by sorting, much faster than row by row). Two months load
     * at a time.
     */
    private static void fill(AgroalDataSource dataSource, int rows) throws Exception {
        long load = System.nanoTime();
        long stepMicros = Duration.ofDays(365).toNanos() / 1000 / rows;
        List<YearMonth> months = new ArrayList<>();
        for (int m = 0; m < 12; m++) {
            months.add(YearMonth.of(2025, 12).plusMonths(m));
        }
        ExecutorService loaders = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> loaded = new ArrayList<>();
            for (YearMonth month : months) {
                loaded.add(loaders.submit(() -> {
                    fillMonth(dataSource, month, rows, stepMicros);
                    return null;
                }));
            }
            for (Future<?> done : loaded) {
                done.get();
            }
        } finally {
            loaders.shutdown();
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            // As autovacuum would have left it: statistics, hint bits and visibility set (else the first read of every
            // row writes its page again, and the first export measures that).
            statement.execute("VACUUM (ANALYZE) " + AuditSchema.EVENTS);
        }
        System.out.printf("fill: %,d rows over 12 months x 5 regions in %.1f s (generated in PostgreSQL, not through the"
                + " writer)%n", rows, seconds(load));
    }

    private static void fillMonth(AgroalDataSource dataSource, YearMonth month, int rows, long stepMicros)
            throws Exception {
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long first = ceilDiv(Duration.between(YEAR_START, from).toNanos() / 1000, stepMicros);
        long last = Math.min(ceilDiv(Duration.between(YEAR_START, to).toNanos() / 1000, stepMicros), rows) - 1;
        String table = AuditSchema.SCHEMA + "." + AuditSchema.partitionName(month);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("SET maintenance_work_mem = '512MB'");
            statement.execute("CREATE TABLE " + table + " (LIKE " + AuditSchema.EVENTS + " INCLUDING DEFAULTS INCLUDING"
                    + " CONSTRAINTS, CHECK (time >= '" + from + "' AND time < '" + to + "'))");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, kind, region,"
                    + " sequence, time, actor, action, resource, source, type, payload, previous_hash, hash)"
                    + " SELECT 'bench-' || g, 'RECORD', (ARRAY['us-east','us-west','eu-west','eu-central','ap-southeast'])"
                    + "[1 + g % 5], g, timestamptz '2025-12-01 00:00:00+00' + (g * ?) * interval '1 microsecond',"
                    + " 'actor-' || (g % 1000), 'action.' || (g % 50), 'pool:r' || (g % 5) || '/pool-' || (g % 200),"
                    + " '/bench', 'dev.meridian.bench.v1', jsonb_build_object('g', g, 'pool', 'pool-' || (g % 200),"
                    + " 'reason', 'synthetic benchmark row', 'desiredNodes', g % 50), repeat('0', 64),"
                    + " md5(g::text) || md5(g::text) FROM generate_series(?::bigint, ?::bigint) g")) {
                insert.setLong(1, stepMicros);
                insert.setLong(2, first);
                insert.setLong(3, last);
                insert.executeUpdate();
            }
            // The CHECK matches the bounds, so attaching skips the validating scan; the indexes are built here.
            statement.execute("ALTER TABLE " + AuditSchema.EVENTS + " ATTACH PARTITION " + table + " FOR VALUES FROM ('"
                    + from + "') TO ('" + to + "')");
        }
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    // ---- search --------------------------------------------------------------------------------------------------

    private static void search(AgroalDataSource dataSource, int queries) throws Exception {
        EventStore store = new EventStore(dataSource, new PayloadVault(dataSource, null, Clock.systemUTC()));
        SplittableRandom random = new SplittableRandom(42);
        // Warm-up: the first queries pay for connections and plans.
        for (int i = 0; i < 50; i++) {
            store.search(regionWindow(random), 100);
            store.search(actor(random, false), 100);
            store.search(actor(random, true), 100);
        }
        report("search: region + time window (1 h .. 30 d), newest 100", store, queries,
                () -> regionWindow(random));
        report("search: actor, newest 100", store, queries, () -> actor(random, false));
        report("search: actor + time window (1 h .. 30 d), newest 100", store, queries, () -> actor(random, true));
    }

    private static void report(String label, EventStore store, int queries, Supplier<EventFilter> filters)
            throws Exception {
        long[] nanos = new long[queries];
        long rowsSeen = 0;
        for (int i = 0; i < queries; i++) {
            EventFilter filter = filters.get();
            long start = System.nanoTime();
            rowsSeen += store.search(filter, 100).size();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d queries (%.1f rows each; target p99 <= 50"
                + " ms)%n", label, nanos[queries / 2] / 1e6, nanos[(int) Math.ceil(queries * 0.99) - 1] / 1e6,
                nanos[queries - 1] / 1e6, queries, (double) rowsSeen / queries);
    }

    /** A random window of 1 hour to 30 days inside the filled year, and one random region. */
    private static EventFilter regionWindow(SplittableRandom random) {
        Instant[] window = window(random);
        return new EventFilter(window[0], window[1], List.of(REGIONS.get(random.nextInt(5))), null, null, null, null,
                null);
    }

    private static EventFilter actor(SplittableRandom random, boolean windowed) {
        Instant[] window = windowed ? window(random) : new Instant[2];
        return new EventFilter(window[0], window[1], List.of(), "actor-" + random.nextInt(1000), null, null, null,
                null);
    }

    private static Instant[] window(SplittableRandom random) {
        Duration length = Duration.ofMinutes(60 + random.nextLong(30L * 24 * 60 - 60));
        Instant from = YEAR_START.plusSeconds(random.nextLong(Duration.ofDays(365).minus(length).toSeconds()));
        return new Instant[] {from, from.plus(length)};
    }

    // ---- digests --------------------------------------------------------------------------------------------------

    /**
     * What signing and proving cost: an Ed25519 signature and its verification against HMAC-SHA256 (what digests were
     * signed with before), and the chainer's Merkle work per record (one frontier append) and per proof.
     */
    private static void digests(int n) {
        DigestSigner signer = DigestSigner.generate("bench");
        List<String> hashes = new ArrayList<>(n);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            hashes.add(String.format("%016x%016x%016x%016x", random.nextLong(), random.nextLong(), random.nextLong(),
                    random.nextLong()));
        }
        javax.crypto.spec.SecretKeySpec hmacKey = new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256");
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            long start = System.nanoTime();
            long hmacBytes = 0;
            for (String hash : hashes) {
                try {
                    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                    mac.init(hmacKey);
                    hmacBytes += mac.doFinal(hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).length;
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
            double hmac = seconds(start) / n;
            start = System.nanoTime();
            List<String> signatures = new ArrayList<>(n);
            for (String hash : hashes) {
                signatures.add(signer.sign(hash));
            }
            double sign = seconds(start) / n;
            start = System.nanoTime();
            int valid = 0;
            for (int i = 0; i < n; i++) {
                valid += signer.keys().problem(hashes.get(i), signatures.get(i), Instant.now()).isEmpty() ? 1 : 0;
            }
            double verify = seconds(start) / n;
            if (round == 1) {
                System.out.printf("digest signature: Ed25519 sign %.1f µs, verify %.1f µs (%d of %d valid);"
                        + " HMAC-SHA256 %.2f µs (%d bytes) — sign %.0f x, verify %.0f x HMAC, measured in this run;"
                        + " one digest per region and hour%n", sign * 1e6, verify * 1e6, valid, n, hmac * 1e6,
                        hmacBytes / n, sign / hmac, verify / hmac);
            }
        }
        int leaves = 100_000;
        List<byte[]> frontier = new ArrayList<>();
        List<byte[]> all = new ArrayList<>(leaves);
        long start = System.nanoTime();
        for (int i = 0; i < leaves; i++) {
            byte[] leaf = Merkle.entryLeaf(hashes.get(i % n));
            all.add(leaf);
            frontier = Merkle.append(frontier, i, leaf);
        }
        double append = seconds(start) / leaves;
        start = System.nanoTime();
        List<byte[]> path = Merkle.inclusionPath(all, leaves / 3);
        double prove = seconds(start);
        start = System.nanoTime();
        boolean proven = java.util.Arrays.equals(Merkle.rootFromInclusionPath(all.get(leaves / 3), leaves / 3, leaves,
                path), Merkle.rootOf(frontier));
        double check = seconds(start);
        System.out.printf("Merkle: %.2f µs per record appended by the chainer (leaf hash + frontier); a proof in an"
                + " hour of %,d records: %d hashes, built in %.0f ms (server, reads the hour), checked in %.0f µs"
                + " (client), valid %s%n", append * 1e6, leaves, path.size(), prove * 1e3, check * 1e6, proven);
    }

    // ---- export --------------------------------------------------------------------------------------------------

    private static void export(AgroalDataSource dataSource) throws Exception {
        EventStore store = new EventStore(dataSource, new PayloadVault(dataSource, null, Clock.systemUTC()));
        EventFilter region = new EventFilter(null, null, List.of("eu-west"), null, null, null, null, null);
        for (EventStore.Format format : EventStore.Format.values()) {
            CountingStream out = new CountingStream();
            long start = System.nanoTime();
            long rows = store.export(region, format, out, Duration.ofHours(1));
            double elapsed = seconds(start);
            System.out.printf("export %s: %,d rows, %,d MB in %.2f s = %,.0f rows/s (target >= 100,000)%n",
                    format.name().toLowerCase(), rows, out.bytes / (1024 * 1024), elapsed, rows / elapsed);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Discards what it is given, counting it: the export's cost without the network's. */
    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
