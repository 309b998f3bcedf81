package dev.meridian.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.Operation;
import dev.meridian.audit.store.AuditSchema;
import dev.meridian.audit.store.EventFilter;
import dev.meridian.audit.store.EventStore;
import dev.meridian.audit.store.StoreWriter;
import dev.meridian.audit.store.WriterMetrics;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
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
 *   <li><b>write</b>: N chained records preloaded on {@code meridian.audit.log.v1}; the store writer drains them into
 *       PostgreSQL (one transaction per batch, offsets included), timed against a plain consumer deserializing them;</li>
 *   <li><b>search</b>: M synthetic rows spread over 12 months and 5 regions, then p50/p99 of the API's query for
 *       a day of one region and for one actor (newest first, 100 rows);</li>
 *   <li><b>export</b>: one region's rows (M/5) streamed as NDJSON and CSV.</li>
 * </ol>
 *
 * <pre>bench/run AuditThroughput [write records, default 200000] [search rows, default 2000000] [queries, default 300]</pre>
 *
 * A count of 0 skips that part (search rows 0 skips export too).
 */
public final class AuditThroughput {

    private static final List<String> REGIONS = List.of("us-east", "us-west", "eu-west", "eu-central", "ap-southeast");
    private static final Instant YEAR_START = Instant.parse("2025-12-01T00:00:00Z");

    private AuditThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int writeRecords = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int searchRows = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        try (KafkaCluster kafka = KafkaCluster.builder().name("audit-bench").createCatalogTopics(true).start();
                PostgresServer postgres = PostgresServer.builder().serverConfig("shared_buffers", "512MB")
                        .serverConfig("max_wal_size", "4GB").start();
                AgroalDataSource dataSource = pool(postgres)) {
            AuditSchema.migrate(dataSource);
            if (writeRecords > 0) {
                write(kafka.bootstrapServers(), dataSource, writeRecords);
            }
            if (searchRows > 0) {
                search(dataSource, searchRows, queries);
                export(dataSource);
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

    private static void write(String bootstrap, AgroalDataSource dataSource, int n) throws Exception {
        Map<String, ChainHead> heads = new HashMap<>();
        long preload = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
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
        System.out.printf("write: preloaded %,d chained records in %.1f s%n", n, seconds(preload));

        long plainStart = System.nanoTime();
        long plain = plainConsumer(bootstrap, n);
        double plainSeconds = seconds(plainStart);

        AtomicLong stored = new AtomicLong();
        AtomicLong inTransactions = new AtomicLong();
        long writerStart = System.nanoTime();
        try (StoreWriter writer = new StoreWriter(new StoreWriter.Settings(bootstrap, "audit-bench-writer", 2000,
                Duration.ofMillis(200)), dataSource, new WriterMetrics() {
                    @Override
                    public void committed(int written, int inserted, int skipped, long nanos) {
                        stored.addAndGet(written);
                        inTransactions.addAndGet(nanos);
                    }

                    @Override
                    public void failed() {
                    }

                    @Override
                    public void rejected() {
                    }
                })) {
            writer.start();
            while (stored.get() < n) {
                Thread.sleep(20);
            }
        }
        double writerSeconds = seconds(writerStart);
        double writeRate = n / writerSeconds;
        double plainRate = plain / plainSeconds;
        System.out.printf("write: store writer %,d records in %.2f s = %,.0f records/s (target >= 20,000)%n", n,
                writerSeconds, writeRate);
        System.out.printf("write: %.2f s of it inside PostgreSQL transactions (parse, COPY, insert, offsets, commit)%n",
                inTransactions.get() / 1e9);
        System.out.printf("write: plain consumer (deserialize only) %,.0f records/s; writer/plain = %.2f%n", plainRate,
                writeRate / plainRate);
    }

    private static long plainConsumer(String bootstrap, int n) {
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
            while (read < n) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ContractJson.read(record.value(), AuditRecord.class);
                    read++;
                }
            }
            return read;
        }
    }

    // ---- search --------------------------------------------------------------------------------------------------

    private static void search(AgroalDataSource dataSource, int rows, int queries) throws Exception {
        long load = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (int m = 0; m < 13; m++) {
                AuditSchema.ensurePartition(connection, YearMonth.of(2025, 12).plusMonths(m));
            }
            int chunk = 250_000;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit.events (id, kind, region,"
                    + " sequence, time, actor, action, resource, source, type, payload, previous_hash, hash)"
                    + " SELECT 'bench-' || g, 'RECORD', (ARRAY['us-east','us-west','eu-west','eu-central','ap-southeast'])"
                    + "[1 + g % 5], g, timestamptz '2025-12-01 00:00:00+00' + (g::double precision / ?) * interval"
                    + " '365 days', 'actor-' || (g % 1000), 'action.' || (g % 50), 'pool:r' || (g % 5) || '/pool-'"
                    + " || (g % 200), '/bench', 'dev.meridian.bench.v1', jsonb_build_object('g', g, 'pool', 'pool-'"
                    + " || (g % 200), 'reason', 'synthetic benchmark row', 'desiredNodes', g % 50), repeat('0', 64),"
                    + " md5(g::text) || md5(g::text) FROM generate_series(?, ?) g")) {
                for (long from = 0; from < rows; from += chunk) {
                    insert.setDouble(1, rows);
                    insert.setLong(2, from);
                    insert.setLong(3, Math.min(rows, from + chunk) - 1);
                    insert.executeUpdate();
                }
            }
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("ANALYZE audit.events");
            }
        }
        System.out.printf("search: loaded %,d rows over 12 months x 5 regions in %.1f s%n", rows, seconds(load));

        EventStore store = new EventStore(dataSource);
        SplittableRandom random = new SplittableRandom(42);
        // Warm-up: the first queries pay for connections and plans.
        for (int i = 0; i < 20; i++) {
            store.search(regionDay(random), 100);
            store.search(actor(random), 100);
        }
        report("search: region + one day, newest 100", store, random, queries, true);
        report("search: actor, newest 100", store, random, queries, false);
    }

    private static void report(String label, EventStore store, SplittableRandom random, int queries, boolean regionDay)
            throws Exception {
        long[] nanos = new long[queries];
        long rowsSeen = 0;
        for (int i = 0; i < queries; i++) {
            EventFilter filter = regionDay ? regionDay(random) : actor(random);
            long start = System.nanoTime();
            rowsSeen += store.search(filter, 100).size();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d queries (%.0f rows each; target p99 <= 50 ms)%n",
                label, nanos[queries / 2] / 1e6, nanos[(int) Math.ceil(queries * 0.99) - 1] / 1e6,
                nanos[queries - 1] / 1e6, queries, (double) rowsSeen / queries);
    }

    private static EventFilter regionDay(SplittableRandom random) {
        Instant from = YEAR_START.plus(Duration.ofDays(random.nextInt(364)));
        return new EventFilter(from, from.plus(Duration.ofDays(1)), List.of(REGIONS.get(random.nextInt(5))), null, null,
                null, null, null);
    }

    private static EventFilter actor(SplittableRandom random) {
        return new EventFilter(null, null, List.of(), "actor-" + random.nextInt(1000), null, null, null, null);
    }

    // ---- export --------------------------------------------------------------------------------------------------

    private static void export(AgroalDataSource dataSource) throws Exception {
        EventStore store = new EventStore(dataSource);
        EventFilter region = new EventFilter(null, null, List.of("eu-west"), null, null, null, null, null);
        for (EventStore.Format format : EventStore.Format.values()) {
            CountingStream out = new CountingStream();
            long start = System.nanoTime();
            long rows = store.export(region, format, out);
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
