package dev.meridian.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.audit.Events;
import dev.meridian.audit.Pipeline;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.Operation;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import dev.meridian.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The chainer (exactly-once Kafka Streams) and the store writer against a real broker and a real PostgreSQL:
 * every operation stored once, whatever is redelivered, killed or restarted.
 */
class ChainStoreIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    private static PostgresServer postgres;
    private static DataSource dataSource;
    private static KafkaStreams chainer;
    private static KafkaProducer<String, byte[]> producer;

    /** Entries this class wrote to the log twice; each is one row. */
    private static int heldTwice;

    private StoreWriter writer;
    private final Pipeline.CountingMetrics metrics = new Pipeline.CountingMetrics();

    @BeforeAll
    static void start() {
        postgres = PostgresServer.builder().start();
        PGSimpleDataSource ds = (PGSimpleDataSource) postgres.dataSource();
        ds.setReWriteBatchedInserts(true);
        dataSource = ds;
        AuditSchema.migrate(dataSource);
        // No digests during these tests: rows and records are compared while nothing else is appended.
        chainer = Pipeline.chainer(KAFKA.bootstrapServers(), "audit-chain-store-it", Duration.ofHours(1));
        producer = Pipeline.producer(KAFKA.bootstrapServers());
        await().atMost(Duration.ofSeconds(60)).until(() -> chainer.state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        producer.close();
        chainer.close(Duration.ofSeconds(10));
        postgres.close();
    }

    @BeforeEach
    void startWriter() {
        writer = Pipeline.writer(KAFKA.bootstrapServers(), dataSource, 500, metrics);
    }

    @AfterEach
    void stopWriter() {
        writer.close();
    }

    private static void send(Events.Input input) {
        producer.send(input.toProducerRecord());
    }

    @Test
    void everyOperationKindLandsOnceAndRedeliveryLeavesCountsUnchanged() throws Exception {
        String region = "it-kinds";
        Instant now = Instant.now();
        Events.Input scaleOut = Events.scale(region, "gpu", ScaleAction.SCALE_OUT, now);
        send(scaleOut);
        send(scaleOut); // a producer retry: the same event twice
        send(Events.scale(region, "gpu", ScaleAction.DEFERRED, now));
        send(Events.scale(region, "gpu", ScaleAction.DRAIN, now));
        send(Events.weights(region, 1, false, now));
        send(Events.weights(region, 1, true, now)); // heartbeat: not an operation
        send(Events.budgetStatus("region:" + region, BudgetState.WARN, now));
        send(Events.budgetStatus("region:" + region, BudgetState.WARN, now)); // unchanged: not an operation
        send(Events.alert("region:" + region, 80, now));
        send(Events.interruption(region, "gpu", "i-1", now));
        send(Events.poolChange("c", region, "gpu", "alice", 9001, now));
        send(Events.poolChange("d", region, "gpu", "alice", 9002, now));
        send(Events.changeLog(77, "node_pools", "DELETE", "bob", 9002, now));
        producer.flush();

        Map<String, Integer> expected = new TreeMap<>(Map.of("scale.scale_out", 1, "scale.deferred", 1, "scale.drain", 1,
                "routing.weights", 1, "budget.state", 1, "budget.alert", 1, "fleet.interruption", 1,
                "registry.insert", 1, "registry.delete", 1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(actions(region)).isEqualTo(expected));
        assertThat(actorOf(region, "registry.delete")).isEqualTo("bob");
        assertChainIsContiguous(region, 9);

        // Redelivery: a writer that lost its position reads the whole log again.
        writer.close();
        execute("DELETE FROM " + AuditSchema.OFFSETS);
        long rowsBefore = rows();
        Pipeline.CountingMetrics replay = new Pipeline.CountingMetrics();
        writer = Pipeline.writer(KAFKA.bootstrapServers(), dataSource, 500, replay);
        long records = Pipeline.auditLogRecords(KAFKA.bootstrapServers());
        await().atMost(Duration.ofSeconds(60)).until(() -> replay.written.get() >= records);
        assertThat(replay.inserted.get()).isZero();
        assertThat(rows()).isEqualTo(rowsBefore).isEqualTo(distinctEntriesOnTheLog());
        assertThat(actions(region)).isEqualTo(expected);
    }

    @Test
    void writerKilledMidBatchThenRestartedStoresEveryRecordExactlyOnce() throws Exception {
        String region = "it-kill";
        int n = 20_000;
        writer.close();
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            send(Events.scale(region, "pool-" + (i % 10), ScaleAction.SCALE_OUT, now));
        }
        producer.flush();

        Pipeline.CountingMetrics killed = new Pipeline.CountingMetrics();
        StoreWriter victim = Pipeline.writer(KAFKA.bootstrapServers(), dataSource, 500, killed);
        await().atMost(Duration.ofSeconds(60)).until(() -> count(region) >= n / 4);
        // The crash: PostgreSQL cuts the writer's connection inside whatever transaction it has open, and the writer
        // stops without another attempt.
        execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + StoreWriter.APPLICATION_NAME + "'");
        victim.close();
        long atCrash = count(region);
        assertThat(atCrash).isLessThan(n);

        writer = Pipeline.writer(KAFKA.bootstrapServers(), dataSource, 500, metrics);
        await().atMost(Duration.ofSeconds(120)).until(() -> count(region) == n);
        assertChainIsContiguous(region, n);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(rows()).isEqualTo(distinctEntriesOnTheLog()));
    }

    @Test
    void postgresRestartedUnderLoadLosesAndDuplicatesNothing() throws Exception {
        String region = "it-restart";
        int n = 10_000;
        Instant now = Instant.now();
        Thread load = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                send(Events.scale(region, "pool-" + (i % 10), ScaleAction.SCALE_IN, now));
            }
            producer.flush();
        });
        load.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(region) >= n / 10);
        postgres.restart();
        load.join();

        await().atMost(Duration.ofSeconds(120)).until(() -> count(region) == n);
        assertChainIsContiguous(region, n);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(rows()).isEqualTo(distinctEntriesOnTheLog()));
    }

    @Test
    void postgresLosingAcknowledgedBatchesIsRepairedFromTheLog() throws Exception {
        String region = "it-lost";
        int n = 3_000;
        Map<Integer, Long> before = storedOffsets();
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            send(Events.scale(region, "pool-" + (i % 10), ScaleAction.SCALE_OUT, now));
        }
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(region) == n);

        // What a crash with synchronous_commit = off can leave: acknowledged transactions gone, rows and offsets
        // together, while the writer keeps running with its position past them.
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM " + AuditSchema.EVENTS + " WHERE region = '" + region + "'");
                s.execute("DELETE FROM " + AuditSchema.OFFSETS);
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + AuditSchema.OFFSETS
                    + " (topic, partition, next_offset) VALUES (?, ?, ?)")) {
                for (Map.Entry<Integer, Long> offset : before.entrySet()) {
                    insert.setString(1, TopicCatalog.AUDIT_LOG);
                    insert.setInt(2, offset.getKey());
                    insert.setLong(3, offset.getValue());
                    insert.executeUpdate();
                }
            }
            c.commit();
        }
        assertThat(count(region)).isZero();

        // The next batch finds the stored offsets behind what the writer committed and reads the lost ones again.
        for (int i = 0; i < 10; i++) {
            send(Events.scale(region, "pool-" + i, ScaleAction.SCALE_IN, now));
        }
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(region) == n + 10);
        assertChainIsContiguous(region, n + 10);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(rows()).isEqualTo(distinctEntriesOnTheLog()));
    }

    @Test
    void aBatchWhoseOffsetsFailAfterItsSecondHalfCommittedIsCompletedOnce() throws Exception {
        // Split over two connections, a batch's second half commits before the offsets do. Here the offsets fail once,
        // exactly then (a trigger; a sequence counts across the rolled-back attempt): the batch is read again and the
        // half stored without its offsets is skipped.
        String region = "it-half";
        int n = 400; // one batch: the writer takes up to 500 records per poll
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows()).isEqualTo(distinctEntriesOnTheLog()));
        writer.close();
        long before = Pipeline.auditLogRecords(KAFKA.bootstrapServers());
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            send(Events.scale(region, "pool-" + (i % 10), ScaleAction.SCALE_OUT, now));
        }
        producer.flush();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Pipeline.auditLogRecords(KAFKA.bootstrapServers()) == before + n);
        execute("CREATE SEQUENCE audit.offsets_attempts");
        execute("CREATE FUNCTION audit.fail_first_offsets() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF nextval('audit.offsets_attempts') = 1 THEN RAISE EXCEPTION 'offsets fail once'; END IF;"
                + " RETURN NEW; END $$");
        execute("CREATE TRIGGER fail_first_offsets BEFORE INSERT OR UPDATE ON " + AuditSchema.OFFSETS
                + " FOR EACH ROW EXECUTE FUNCTION audit.fail_first_offsets()");
        try {
            Pipeline.CountingMetrics replay = new Pipeline.CountingMetrics();
            writer = Pipeline.writer(KAFKA.bootstrapServers(), dataSource, 500, replay);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(region) == n && replay.batches.get() == 1);
            assertThat(replay.failed.get()).as("attempts rolled back").isEqualTo(1);
            assertThat(replay.inserted.get()).as("rows the retry added").isEqualTo(n - n / 2);
            assertChainIsContiguous(region, n);
            assertThat(rows()).isEqualTo(distinctEntriesOnTheLog());
        } finally {
            execute("DROP TRIGGER fail_first_offsets ON " + AuditSchema.OFFSETS);
            execute("DROP FUNCTION audit.fail_first_offsets()");
            execute("DROP SEQUENCE audit.offsets_attempts");
        }
    }

    @Test
    void anEntryTheLogHoldsTwiceInOneBatchIsStoredOnceAndTheWriterGoesOn() throws Exception {
        // Split over two connections, the two copies of one entry would wait on each other's open transactions.
        String region = "it-twice";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows()).isEqualTo(distinctEntriesOnTheLog()));
        ChainHead head = Chains.genesis();
        AuditRecord first = Chains.record(head, operation(region));
        AuditRecord second = Chains.record(Chains.advance(head, first), operation(region));
        writer.close();
        for (AuditRecord entry : List.of(first, first, second)) {
            producer.send(new ProducerRecord<>(TopicCatalog.AUDIT_LOG, region, ContractJson.write(entry)));
        }
        producer.flush();
        heldTwice++;
        Pipeline.CountingMetrics twice = new Pipeline.CountingMetrics();
        writer = Pipeline.writer(KAFKA.bootstrapServers(), dataSource, 500, twice);
        await().atMost(Duration.ofSeconds(60)).until(() -> count(region) == 2);
        assertChainIsContiguous(region, 2);
        assertThat(List.of(twice.batches.get(), twice.written.get(), twice.inserted.get()))
                .as("one batch of three records, two rows").containsExactly(1, 3, 2);

        String after = "it-twice-after";
        send(Events.scale(after, "gpu", ScaleAction.SCALE_OUT, Instant.now()));
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(after) == 1);
        assertThat(rows()).isEqualTo(distinctEntriesOnTheLog());
    }

    private static Operation operation(String region) {
        return new Operation(UUID.randomUUID().toString(), Instant.now(), region, "alice", "scale.scale_out",
                "pool:" + region + "/gpu", "/test", "dev.meridian.scaling.command.v1",
                ContractJson.mapper().createObjectNode().put("pool", "gpu"));
    }

    private static Map<Integer, Long> storedOffsets() throws SQLException {
        Map<Integer, Long> offsets = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT partition, next_offset FROM " + AuditSchema.OFFSETS)) {
            while (rs.next()) {
                offsets.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return offsets;
    }

    private static void assertChainIsContiguous(String region, long n) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*), count(DISTINCT id), count(DISTINCT sequence), min(sequence), max(sequence)"
                        + " FROM audit.events WHERE region = ?")) {
            s.setString(1, region);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                        .containsExactly(n, n, n, 0L, n - 1);
            }
        }
    }

    private static long count(String region) {
        return Pipeline.storedRows(dataSource, region);
    }

    private static long distinctEntriesOnTheLog() {
        return Pipeline.auditLogRecords(KAFKA.bootstrapServers()) - heldTwice;
    }

    private static long rows() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM audit.events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Integer> actions(String region) throws SQLException {
        Map<String, Integer> actions = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT action, count(*) FROM audit.events WHERE region = ? GROUP BY action")) {
            s.setString(1, region);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    actions.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return actions;
    }

    private static String actorOf(String region, String action) throws SQLException {
        List<String> actors = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT actor FROM audit.events WHERE region = ? AND action = ?")) {
            s.setString(1, region);
            s.setString(2, action);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    actors.add(rs.getString(1));
                }
            }
        }
        assertThat(actors).hasSize(1);
        return actors.get(0);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
