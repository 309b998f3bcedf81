package dev.meridian.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.audit.Events;
import dev.meridian.audit.Pipeline;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import dev.meridian.testkit.postgres.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hostile or broken record on the audit log cannot stop storage: real broker, real PostgreSQL, the chainer and the
 * writer (two connections) as the service runs them. Records the store must not hold are quarantined, their places
 * kept by placeholders, and verification re-hashes the originals from the quarantine.
 */
class QuarantineIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    private static PostgresServer postgres;
    private static DataSource dataSource;
    private static KafkaStreams chainer;
    private static KafkaProducer<String, byte[]> producer;
    private static StoreWriter writer;
    private static ChainVerifier verifier;
    private static final Pipeline.CountingMetrics METRICS = new Pipeline.CountingMetrics();

    @BeforeAll
    static void start() {
        postgres = PostgresServer.builder().start();
        dataSource = postgres.dataSource();
        AuditSchema.migrate(dataSource);
        chainer = Pipeline.chainer(KAFKA.bootstrapServers(), "audit-quarantine-it", Duration.ofHours(1));
        producer = Pipeline.producer(KAFKA.bootstrapServers());
        writer = Pipeline.writer(KAFKA.bootstrapServers(), dataSource, 500, METRICS);
        verifier = new ChainVerifier(dataSource, Pipeline.SIGNER, Pipeline.vault(dataSource));
        await().atMost(Duration.ofSeconds(60)).until(() -> chainer.state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        writer.close();
        producer.close();
        chainer.close(Duration.ofSeconds(10));
        postgres.close();
    }

    /** One chain as a test writes it straight to the log: what another writer, or a chainer of old, could have put there. */
    private static final class Chain {
        final String region;
        ChainHead head = Chains.genesis();
        final List<AuditRecord> entries = new ArrayList<>();

        Chain(String region) {
            this.region = region;
        }

        AuditRecord append(String actor, String resource, Instant at, ObjectNode payload) {
            AuditRecord entry = Pipeline.foreignEntry(head, region, at, actor, "scale.scale_out", resource, payload);
            head = Chains.advance(head, entry);
            entries.add(entry);
            return entry;
        }

        AuditRecord append() {
            return append("alice", "pool:" + region + "/gpu", Instant.now(), payload("gpu"));
        }
    }

    private static ObjectNode payload(String pool) {
        return ContractJson.mapper().createObjectNode().put("pool", pool);
    }

    /** JSON as Jackson writes it, without the contract's checks: what a foreign or broken producer can send. */
    private static byte[] json(Object value) {
        try {
            return ContractJson.mapper().writeValueAsBytes(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void toLog(String region, byte[] value) {
        producer.send(new ProducerRecord<>(TopicCatalog.AUDIT_LOG, region, value));
    }

    @Test
    void aNulAnd1970EntryAndRowsPostgresqlRefusesAreQuarantinedWhileEveryOtherEntryIsStored() throws Exception {
        Chain chain = new Chain("q-mixed-" + UUID.randomUUID().toString().substring(0, 6));
        chain.append();
        AuditRecord nul = chain.append("itn\u0000x", "node:x", Instant.now(), payload("gpu"));
        chain.append();
        AuditRecord epoch = chain.append("alice", "node:y", Instant.EPOCH, payload("gpu"));
        // Its payload's JSON escapes a NUL, which jsonb could not hold; sealed, the payload never reaches jsonb, so it
        // is stored like any other entry (before payloads were sealed, PostgreSQL refused it and bisection found it).
        AuditRecord jsonNul = chain.append("alice", "node:z", Instant.now(),
                payload("gpu\u0000core"));
        // 1,024 characters, as the contract allows, but 3,072 bytes of UTF-8: over the B-tree row limit of the
        // resource index (2,704 bytes). Only PostgreSQL can tell; bisection finds it.
        AuditRecord huge = chain.append("alice", randomCjk(new Random(7), 1_024),
                Instant.now(), payload("gpu"));
        chain.append();
        Map<String, Integer> before = new HashMap<>(METRICS.quarantinedByKind);
        chain.entries.forEach(entry -> toLog(chain.region, json(entry)));
        producer.flush();

        await().atMost(Duration.ofSeconds(60)).until(() -> count(chain.region) == chain.entries.size());

        assertThat(placeholders(chain.region)).containsExactly(
                Map.entry(nul.sequence(), "control-character"), Map.entry(epoch.sequence(), "time-out-of-range"),
                Map.entry(huge.sequence(), "refused-by-store"));
        assertThat(idAt(chain.region, jsonNul.sequence())).isEqualTo(jsonNul.id());
        for (AuditRecord stored : List.of(chain.entries.get(0), chain.entries.get(2), chain.entries.get(6))) {
            assertThat(hashAt(chain.region, stored.sequence())).isEqualTo(stored.hash());
        }
        assertThat(raw(chain.region, nul.sequence())).isEqualTo(json(nul));
        // The 1970 entry's placeholder sits in a month retention keeps, not in January 1970.
        assertThat(timeAt(chain.region, epoch.sequence())).isAfter(Instant.now().minus(Duration.ofHours(1)));
        ChainVerifier.Result result = verifier.verify(chain.region, null, null);
        assertThat(result.broken()).isEmpty();
        assertThat(result.checked()).isEqualTo(chain.entries.size());
        Map<String, Integer> counted = new HashMap<>();
        METRICS.quarantinedByKind.forEach((kind, n) -> counted.put(kind, n - before.getOrDefault(kind, 0)));
        assertThat(counted).containsEntry("control-character", 1).containsEntry("time-out-of-range", 1)
                .containsEntry("refused-by-store", 1);

        // Tampering with a quarantined original is found at its place, like a stored row altered in SQL.
        execute("UPDATE audit.quarantine SET raw = convert_to(replace(convert_from(raw, 'UTF8'), 'node:y', 'node:w'),"
                + " 'UTF8') WHERE region = '" + chain.region + "' AND sequence = " + epoch.sequence());
        ChainVerifier.Broken broken = verifier.verify(chain.region, null, null).broken().orElseThrow();
        assertThat(broken.sequence()).isEqualTo(epoch.sequence());
        assertThat(broken.reason()).contains("quarantined record").contains("content does not match its hash");
    }

    @Test
    void recordsThatAreNoAuditEntryAtAllAreQuarantinedWithoutAPlaceAndTheChainGoesOn() throws Exception {
        Chain chain = new Chain("q-garbage-" + UUID.randomUUID().toString().substring(0, 6));
        toLog(chain.region, json(chain.append()));
        toLog(chain.region, "{\"not\":\"an entry\"}".getBytes(StandardCharsets.UTF_8));
        toLog(chain.region, new byte[] {(byte) 0xff, 0, 1});
        toLog(chain.region, json(chain.append()));
        producer.flush();

        await().atMost(Duration.ofSeconds(60)).until(() -> count(chain.region) == 2);

        assertThat(verifier.verify(chain.region, null, null).ok()).isTrue();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM audit.quarantine WHERE kind = 'malformed' AND region IS NULL"
                        + " AND (raw = ? OR raw = ?)")) {
            s.setBytes(1, "{\"not\":\"an entry\"}".getBytes(StandardCharsets.UTF_8));
            s.setBytes(2, new byte[] {(byte) 0xff, 0, 1});
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aNoticeWithANulOrDated1970SentStraightToKafkaNeverStopsTheChainerOrTheWriter() {
        String region = "q-door-" + UUID.randomUUID().toString().substring(0, 6);
        Instant sent = Instant.now();
        Interruption nul = new Interruption("n-nul", region, "batch", sent, sent.plusSeconds(120), "itn\u0000x");
        Interruption epoch = new Interruption("n-1970", region, "batch", Instant.EPOCH, Instant.EPOCH.plusSeconds(120),
                "aws-spot-itn");
        org.apache.kafka.common.header.Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        dev.meridian.contracts.cloudevents.CloudEventHeaders.write(headers,
                new dev.meridian.contracts.cloudevents.CloudEventAttributes(UUID.randomUUID().toString(), "/test",
                        "dev.meridian.fleet.interruption.v1", sent, region));
        producer.send(new ProducerRecord<>(TopicCatalog.FLEET_INTERRUPTIONS, null, "n-nul", json(nul), headers));
        producer.send(Events.contract(epoch, "n-1970", region, Instant.EPOCH).toProducerRecord());
        producer.send(Events.scale(region, "gpu", ScaleAction.SCALE_OUT, sent).toProducerRecord());
        producer.flush();

        // The NUL notice breaks the contract: the chainer drops it (counted) like any invalid event. The 1970 one is
        // chained at the chainer's time, its claim kept in the payload; the command after both is stored.
        await().atMost(Duration.ofSeconds(60)).until(() -> count(region) == 2);
        assertThat(timeOf(region, "fleet.interruption")).isAfterOrEqualTo(sent.minusSeconds(5));
    }

    @Test
    void everyGoodEntryIsStoredOnceAndEveryPoisonOneQuarantinedForAnyMixInABatch() throws Exception {
        // A property over random batches: chains of random length with random poison of every kind, interleaved on
        // the log so each writer batch mixes regions, checks and store refusals.
        Random random = new Random(20261206);
        List<Chain> chains = new ArrayList<>();
        Map<String, Map<Long, String>> expectedPlaceholders = new HashMap<>();
        List<List<byte[]>> logs = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            Chain chain = new Chain("q-prop-" + c + "-" + UUID.randomUUID().toString().substring(0, 6));
            chains.add(chain);
            Map<Long, String> poison = new HashMap<>();
            List<byte[]> log = new ArrayList<>();
            logs.add(log);
            int length = 1 + random.nextInt(40);
            for (int i = 0; i < length; i++) {
                int dice = random.nextInt(12);
                AuditRecord entry;
                switch (dice) {
                    case 0 -> {
                        entry = chain.append("a\u0000b", "r", Instant.now(), payload("p"));
                        poison.put(entry.sequence(), "control-character");
                    }
                    // Sealed, a payload escaping a NUL is no poison any more: it must be stored as it is.
                    case 1 -> entry = chain.append("alice", "r", Instant.now(), payload("p\u0000"));
                    case 2 -> {
                        entry = chain.append("alice", "r",
                                Instant.now().plus(Duration.ofDays(400)), payload("p"));
                        poison.put(entry.sequence(), "time-out-of-range");
                    }
                    case 3 -> {
                        entry = chain.append("alice", randomCjk(random, 1_024),
                                Instant.now(), payload("p"));
                        poison.put(entry.sequence(), "refused-by-store");
                    }
                    default -> entry = chain.append();
                }
                log.add(json(entry));
                if (random.nextInt(20) == 0) {
                    log.add("not json".getBytes(StandardCharsets.UTF_8));
                }
            }
            expectedPlaceholders.put(chain.region, poison);
        }
        // Round robin over the chains, each in its own order: the writer's batches mix regions and kinds of poison.
        for (int i = 0; logs.stream().anyMatch(log -> !log.isEmpty()); i++) {
            List<byte[]> log = logs.get(i % logs.size());
            if (!log.isEmpty()) {
                toLog(chains.get(i % logs.size()).region, log.remove(0));
            }
        }
        producer.flush();

        for (Chain chain : chains) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count(chain.region) == chain.entries.size());
        }
        for (Chain chain : chains) {
            Map<Long, String> poison = expectedPlaceholders.get(chain.region);
            assertThat(new HashMap<>(placeholders(chain.region))).as(() -> dump(chain.region)).isEqualTo(poison);
            for (AuditRecord entry : chain.entries) {
                assertThat(hashAt(chain.region, entry.sequence())).as(chain.region + "#" + entry.sequence())
                        .isEqualTo(entry.hash());
                if (!poison.containsKey(entry.sequence())) {
                    assertThat(idAt(chain.region, entry.sequence())).isEqualTo(entry.id());
                }
            }
            ChainVerifier.Result result = verifier.verify(chain.region, null, null);
            assertThat(result.broken()).as(chain.region).isEmpty();
            assertThat(result.checked()).isEqualTo(chain.entries.size());
        }
    }

    private static String randomCjk(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x4E00 + random.nextInt(0x5000)));
        }
        return text.toString();
    }

    /** Placeholder rows of a region: sequence → the quarantine kind their payload names, in sequence order. */
    private static Map<Long, String> placeholders(String region) throws SQLException {
        Map<Long, String> placeholders = new java.util.LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT e.sequence, q.kind FROM audit.events e JOIN audit.quarantine q"
                        + " ON q.id = (e.payload->>'quarantineId')::bigint"
                        + " WHERE e.region = ? AND e.action = 'audit.quarantined' ORDER BY e.sequence")) {
            s.setString(1, region);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    placeholders.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return placeholders;
    }

    private static String hashAt(String region, long sequence) throws SQLException {
        return column("hash", region, sequence);
    }

    private static String idAt(String region, long sequence) throws SQLException {
        return column("id", region, sequence);
    }

    private static Instant timeAt(String region, long sequence) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT time FROM audit.events WHERE region = ? AND sequence = ?")) {
            s.setString(1, region);
            s.setLong(2, sequence);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        }
    }

    private static Instant timeOf(String region, String action) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT time FROM audit.events WHERE region = ? AND action = ?")) {
            s.setString(1, region);
            s.setString(2, action);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String column(String column, String region, long sequence) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT " + column + " FROM audit.events WHERE region = ? AND sequence = ?")) {
            s.setString(1, region);
            s.setLong(2, sequence);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as(region + "#" + sequence + " stored").isTrue();
                return rs.getString(1);
            }
        }
    }

    private static byte[] raw(String region, long sequence) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT raw FROM audit.quarantine WHERE region = ? AND sequence = ?")) {
            s.setString(1, region);
            s.setLong(2, sequence);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    /** What a region's rows and quarantine hold, for a failure's message. */
    private static String dump(String region) {
        StringBuilder out = new StringBuilder(region).append('\n');
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT sequence, action, left(resource, 20), left(payload::text, 120) FROM audit.events"
                        + " WHERE region = ? UNION ALL SELECT sequence, 'quarantine ' || id, kind, left(reason, 120)"
                        + " FROM audit.quarantine WHERE region = ? ORDER BY 1, 2")) {
            s.setString(1, region);
            s.setString(2, region);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
                            .append(' ').append(rs.getString(4)).append('\n');
                }
            }
        } catch (SQLException e) {
            out.append(e.getMessage());
        }
        return out.toString();
    }

    private static long count(String region) {
        return Pipeline.storedRows(dataSource, region);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
