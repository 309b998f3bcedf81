package dev.meridian.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.audit.Events;
import dev.meridian.audit.Pipeline;
import dev.meridian.audit.crypto.FileKeyEncryptionKeys;
import dev.meridian.audit.crypto.KeyEncryptionKeys;
import dev.meridian.auditproof.ExportVerifier;
import dev.meridian.contracts.audit.AuditEntryKind;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import dev.meridian.testkit.postgres.PostgresServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads at rest: the writer stores each record's payload sealed (AES-256-GCM under a data key that only the KEK
 * unwraps) and its digests in clear; reads, exports and verification open them; a flipped ciphertext byte is tampering
 * at exactly that entry; rotating the KEK rewraps the data keys and leaves every entry as it was.
 */
class SealedPayloadIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    @TempDir
    static Path kekDirectory;

    @TempDir
    static Path rotatedDirectory;

    private static PostgresServer postgres;
    private static DataSource dataSource;
    private static KafkaStreams chainer;
    private static KafkaProducer<String, byte[]> producer;
    private static StoreWriter writer;
    private static KeyEncryptionKeys keys;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.builder().start();
        dataSource = postgres.dataSource();
        AuditSchema.migrate(dataSource);
        FileKeyEncryptionKeys.generate(kekDirectory, "kek-a", true);
        keys = FileKeyEncryptionKeys.load(kekDirectory);
        chainer = Pipeline.chainer(KAFKA.bootstrapServers(), "audit-sealed-it", Duration.ofSeconds(1));
        producer = Pipeline.producer(KAFKA.bootstrapServers());
        writer = new StoreWriter(new StoreWriter.Settings(KAFKA.bootstrapServers(), "audit-sealed-it-writer", 500,
                Duration.ofMillis(200), 1).withKeys(keys), dataSource, new Pipeline.CountingMetrics());
        writer.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> chainer.state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        writer.close();
        producer.close();
        chainer.close(Duration.ofSeconds(10));
        postgres.close();
    }

    @Test
    void recordsAreStoredSealedDigestsInClearAndBothReadBackWhole() throws Exception {
        String region = send("sealed", 5);
        EventStore store = new EventStore(dataSource, new PayloadVault(dataSource, keys, Clock.systemUTC()));

        assertThat(query("SELECT kind, payload IS NULL, payload_sealed IS NULL, data_key_id IS NULL FROM audit.events"
                + " WHERE region = '" + region + "'")).containsOnly("RECORD true false false", "DIGEST false true true");
        // Nothing of the payload's text in the stored bytes: the pool name is in every record's payload.
        assertThat(query("SELECT count(*) FROM audit.events WHERE region = '" + region + "' AND kind = 'RECORD'"
                + " AND position(convert_to('gpu-', 'UTF8') IN payload_sealed) > 0")).containsExactly("0");

        List<AuditRecord> page = store.search(new EventFilter(null, null, List.of(region), null, null, null, null,
                null), 100);
        assertThat(page).filteredOn(e -> e.kind() == AuditEntryKind.RECORD).hasSize(5)
                .allSatisfy(e -> assertThat(e.payload().toString()).contains("gpu-"));
        ChainVerifier.Result verified = new ChainVerifier(dataSource, Pipeline.SIGNER,
                new PayloadVault(dataSource, keys, Clock.systemUTC())).verify(region, null, null);
        assertThat(verified.ok()).as("%s", verified).isTrue();
        assertThat(verified.checked()).isEqualTo(6);
        assertThat(exportReport(store, region).bad()).isEmpty();
    }

    @Test
    void aFlippedCiphertextByteIsReportedAsTamperingAtThatEntry() throws Exception {
        String region = send("tamper", 4);
        String victim = query("SELECT id FROM audit.events WHERE region = '" + region + "' AND sequence = 2").get(0);
        try (Connection c = dataSource.getConnection(); PreparedStatement flip = c.prepareStatement(
                "UPDATE audit.events SET payload_sealed = set_byte(payload_sealed, 20,"
                        + " get_byte(payload_sealed, 20) # 1) WHERE region = ? AND sequence = 2")) {
            flip.setString(1, region);
            assertThat(flip.executeUpdate()).isEqualTo(1);
        }
        PayloadVault vault = new PayloadVault(dataSource, keys, Clock.systemUTC());

        ChainVerifier.Result result = new ChainVerifier(dataSource, Pipeline.SIGNER, vault).verify(region, null, null);

        assertThat(result.broken()).hasValueSatisfying(broken -> {
            assertThat(broken.id()).isEqualTo(victim);
            assertThat(broken.sequence()).isEqualTo(2);
            assertThat(broken.reason()).contains("does not authenticate");
        });
        assertThat(result.checked()).isEqualTo(2);
        // An export carries the entry with no payload it could vouch for; offline verification fails right there.
        ExportVerifier.Report offline = exportReport(new EventStore(dataSource, vault), region);
        assertThat(offline.bad()).hasValueSatisfying(bad -> {
            assertThat(bad.id()).isEqualTo(victim);
            assertThat(bad.sequence()).isEqualTo(2);
        });
    }

    @Test
    void rotatingTheKekRewrapsDataKeysOnlyAndEveryEntryStaysReadable() throws Exception {
        String region = send("rotate", 3);
        String entriesBefore = sealedDigest();
        long dataKeys = Long.parseLong(query("SELECT count(*) FROM audit.data_keys").get(0));
        // The operator's rotation: the Secret gains kek-b, made current, and still holds kek-a.
        Path rotated = rotatedDirectory;
        for (Path file : listed(kekDirectory)) {
            Files.copy(file, rotated.resolve(file.getFileName()));
        }
        FileKeyEncryptionKeys.generate(rotated, "kek-b", true);

        int rewrapped = new PayloadVault(dataSource, FileKeyEncryptionKeys.load(rotated), Clock.systemUTC()).rewrap();

        assertThat(rewrapped).isEqualTo(dataKeys).isPositive();
        assertThat(query("SELECT DISTINCT kek_id FROM audit.data_keys")).containsExactly("kek-b");
        assertThat(sealedDigest()).as("no entry rewritten").isEqualTo(entriesBefore);
        // The old KEK can go: everything opens with the new one alone.
        Files.delete(rotated.resolve("kek-a" + FileKeyEncryptionKeys.KEY_SUFFIX));
        PayloadVault afterRotation = new PayloadVault(dataSource, FileKeyEncryptionKeys.load(rotated),
                Clock.systemUTC());
        EventStore store = new EventStore(dataSource, afterRotation);
        assertThat(store.search(new EventFilter(null, null, List.of(region), null, null, null, null, null), 100))
                .filteredOn(e -> e.kind() == AuditEntryKind.RECORD).hasSize(3)
                .allSatisfy(e -> assertThat(e.payload().toString()).contains("gpu-"));
        assertThat(new ChainVerifier(dataSource, Pipeline.SIGNER, afterRotation).verify(region, null, null).ok())
                .isTrue();
        assertThat(exportReport(store, region).bad()).isEmpty();
    }

    /** {@code records} scale commands in a region of their own, stored and closed by a digest; returns the region. */
    private static String send(String prefix, int records) throws Exception {
        String region = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < records; i++) {
            producer.send(Events.scale(region, "gpu-" + i, ScaleAction.SCALE_OUT, Instant.now()).toProducerRecord());
        }
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> query("SELECT count(*) FROM audit.events WHERE region = '"
                + region + "' AND kind = 'DIGEST'").get(0).equals("1"));
        return region;
    }

    private static ExportVerifier.Report exportReport(EventStore store, String region) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.export(new EventFilter(null, null, List.of(region), null, null, null, null, null),
                EventStore.Format.NDJSON, out, Duration.ofMinutes(1));
        return new ExportVerifier(Pipeline.SIGNER.keys()).verify(new BufferedReader(new StringReader(
                out.toString(StandardCharsets.UTF_8))));
    }

    /** Every stored ciphertext, in order, hashed: equal before and after means no entry was rewritten. */
    private static String sealedDigest() throws SQLException {
        return query("SELECT md5(string_agg(encode(payload_sealed, 'hex'), '' ORDER BY region, sequence))"
                + " FROM audit.events WHERE payload_sealed IS NOT NULL").get(0);
    }

    private static List<Path> listed(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.toList();
        }
    }

    /** Each row of {@code sql} as its columns joined by spaces. */
    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rs.getString(i).equals("t") ? "true" : rs.getString(i).equals("f") ? "false"
                            : rs.getString(i));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }
}
