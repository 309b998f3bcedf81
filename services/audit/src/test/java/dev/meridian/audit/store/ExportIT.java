package dev.meridian.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.audit.Events;
import dev.meridian.audit.Pipeline;
import dev.meridian.auditproof.Canonical;
import dev.meridian.auditproof.ExportVerifier;
import dev.meridian.auditproof.Merkle;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import dev.meridian.testkit.postgres.PostgresServer;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
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

/**
 * Exports that tell the truth, and proofs an outsider can check: the chainer (digests every second, Ed25519, Merkle
 * heads) and the writer against a real broker and PostgreSQL, the export read back by the offline verifier.
 */
class ExportIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.withCatalogTopics();

    private static PostgresServer postgres;
    private static DataSource dataSource;
    private static KafkaStreams chainer;
    private static KafkaProducer<String, byte[]> producer;
    private static StoreWriter writer;
    private static EventStore store;
    private static String region;
    private static List<Events.Input> sent;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.builder().start();
        dataSource = postgres.dataSource();
        AuditSchema.migrate(dataSource);
        chainer = Pipeline.chainer(KAFKA.bootstrapServers(), "audit-export-it", Duration.ofSeconds(1));
        producer = Pipeline.producer(KAFKA.bootstrapServers());
        writer = Pipeline.writer(KAFKA.bootstrapServers(), dataSource, 500, new Pipeline.CountingMetrics());
        store = new EventStore(dataSource, Pipeline.vault(dataSource));
        await().atMost(Duration.ofSeconds(60)).until(() -> chainer.state() == KafkaStreams.State.RUNNING);
        // Two digest intervals' worth of records in one region, then a digest closing the last of them.
        region = "export-" + UUID.randomUUID().toString().substring(0, 6);
        sent = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 7; i++) {
                Events.Input input = Events.scale(region, "gpu-" + i, ScaleAction.SCALE_OUT, Instant.now());
                sent.add(input);
                producer.send(input.toProducerRecord());
            }
            producer.flush();
            long digestsBefore = round;
            await().atMost(Duration.ofSeconds(60)).until(() -> digests(region) > digestsBefore);
        }
    }

    @AfterAll
    static void stop() {
        writer.close();
        producer.close();
        chainer.close(Duration.ofSeconds(10));
        postgres.close();
    }

    private static long digests(String region) throws Exception {
        return store.search(new EventFilter(null, null, List.of(region), null, "audit.digest", null, null, null), 100)
                .size();
    }

    private static String export(EventStore.Format format, Duration maxTime) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.export(new EventFilter(null, null, List.of(region), null, null, null, null, null), format, out, maxTime);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ExportVerifier.Report verify(String ndjson) throws Exception {
        return new ExportVerifier(Pipeline.SIGNER.keys()).verify(new BufferedReader(new StringReader(ndjson)));
    }

    @Test
    void anExportIsInChainOrderEndsWithItsTrailerAndVerifiesOffline() throws Exception {
        String ndjson = export(EventStore.Format.NDJSON, Duration.ofMinutes(1));
        List<String> lines = ndjson.lines().toList();

        List<Long> sequences = new ArrayList<>();
        for (String line : lines.subList(0, lines.size() - 1)) {
            sequences.add(ContractJson.mapper().readTree(line).path("sequence").asLong());
        }
        assertThat(sequences).isSorted().hasSize(16).first().isEqualTo(0L);
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"trailer\":");
        ExportVerifier.Report report = verify(ndjson);
        assertThat(report.bad()).isEmpty();
        assertThat(report.entries()).isEqualTo(16);
        assertThat(report.digests()).isEqualTo(2);
        assertThat(report.merkleHeads()).isEqualTo(2);
    }

    @Test
    void aFilteredExportHoldsTheOtherEntriesAsLinksAndStillVerifiesOffline() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.export(new EventFilter(null, null, List.of(region), null, null, "pool:" + region + "/gpu-3", null, null),
                EventStore.Format.NDJSON, out, Duration.ofMinutes(1));
        String ndjson = out.toString(StandardCharsets.UTF_8);

        ExportVerifier.Report report = verify(ndjson);

        assertThat(report.bad()).isEmpty();
        assertThat(report.entries()).isEqualTo(2 + 2); // gpu-3 of both rounds, and the two digests
        assertThat(report.links()).isEqualTo(12);
        assertThat(report.merkleHeads()).isEqualTo(2);
        assertThat(ndjson).doesNotContain("gpu-2");
    }

    @Test
    void anExportIsTheSameTheTenthTimeOnOnePooledConnection() throws Exception {
        // The driver prepares a statement on the server after five executions and then receives bigint in binary.
        try (AgroalDataSource pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(config -> config.maxSize(1).connectionFactoryConfiguration(factory -> factory
                        .jdbcUrl(postgres.jdbcUrl()).principal(new NamePrincipal(postgres.username()))
                        .credential(new SimplePassword(postgres.password())))))) {
            EventStore pooled = new EventStore(pool, Pipeline.vault(pool));
            List<String> exports = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                pooled.export(new EventFilter(null, null, List.of(region), null, null, null, null, null),
                        EventStore.Format.NDJSON, out, Duration.ofMinutes(1));
                String ndjson = out.toString(StandardCharsets.UTF_8);
                exports.add(ndjson.substring(0, ndjson.lastIndexOf("{\"trailer\"")));
                assertThat(verify(ndjson).bad()).as("export " + i).isEmpty();
            }
            assertThat(exports).allSatisfy(export -> assertThat(export).isEqualTo(exports.get(0)));
        }
    }

    @Test
    void anExportCutInTheMiddleIsReportedIncomplete() throws Exception {
        List<String> lines = export(EventStore.Format.NDJSON, Duration.ofMinutes(1)).lines().toList();

        String cut = String.join("\n", lines.subList(0, 9)) + "\n";
        ExportVerifier.Report report = verify(cut);

        assertThat(report.bad()).get().extracting(ExportVerifier.Bad::reason).asString().startsWith("incomplete");
        String halfALine = String.join("\n", lines.subList(0, 9)) + "\n" + lines.get(9).substring(0, 40);
        assertThat(verify(halfALine).bad()).get().extracting(ExportVerifier.Bad::reason).asString()
                .contains("not JSON");
    }

    @Test
    void anExportStoppedByItsTimeLimitSaysSoInItsTrailer() throws Exception {
        String ndjson = export(EventStore.Format.NDJSON, Duration.ZERO);

        assertThat(ContractJson.mapper().readTree(ndjson.lines().reduce((a, b) -> b).orElseThrow())
                .path("trailer").path("complete").asBoolean()).isFalse();
        assertThat(verify(ndjson).bad()).get().extracting(ExportVerifier.Bad::reason).asString()
                .startsWith("incomplete: the export reached its time limit");
    }

    @Test
    void anEntryAlteredInTheExportIsNamedByTheOfflineVerifier() throws Exception {
        List<String> lines = new ArrayList<>(export(EventStore.Format.NDJSON, Duration.ofMinutes(1)).lines().toList());
        String victim = lines.get(4);
        lines.set(4, victim.replace("\"actor\":\"/meridian/test\"", "\"actor\":\"mallory\""));
        assertThat(lines.get(4)).isNotEqualTo(victim);

        ExportVerifier.Report report = verify(String.join("\n", lines) + "\n");

        assertThat(report.bad()).get().satisfies(bad -> {
            assertThat(bad.sequence()).isEqualTo(4);
            assertThat(bad.id()).isEqualTo(ContractJson.mapper().readTree(victim).path("id").asText());
            assertThat(bad.reason()).isEqualTo("content does not match its hash");
        });
    }

    @Test
    void aRowAlteredInTheDatabaseIsNamedByTheServiceVerifierAndTheOfflineOneAlike() throws Exception {
        String other = region + "-tamper";
        for (int i = 0; i < 3; i++) {
            producer.send(Events.scale(other, "gpu", ScaleAction.SCALE_IN, Instant.now()).toProducerRecord());
        }
        producer.flush();
        await().atMost(Duration.ofSeconds(60)).until(() -> digests(other) > 0);
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE audit.events SET resource = 'pool:elsewhere' WHERE region = ? AND sequence = 1")) {
            update.setString(1, other);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        ChainVerifier.Broken online = new ChainVerifier(dataSource, Pipeline.SIGNER, Pipeline.vault(dataSource)).verify(other, null, null).broken()
                .orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.export(new EventFilter(null, null, List.of(other), null, null, null, null, null),
                EventStore.Format.NDJSON, out, Duration.ofMinutes(1));
        ExportVerifier.Bad offline = verify(out.toString(StandardCharsets.UTF_8)).bad().orElseThrow();

        assertThat(online.sequence()).isEqualTo(1);
        assertThat(offline.sequence()).isEqualTo(1);
        assertThat(offline.id()).isEqualTo(online.id());
        assertThat(offline.reason()).isEqualTo("content does not match its hash");
    }

    @Test
    void aProofForARandomRecordChecksAgainstTheSignedHead() throws Exception {
        Events.Input chosen = sent.get(new java.util.Random().nextInt(sent.size()));
        AuditRecord entry = store.get(chosen.ceId()).orElseThrow();

        InclusionProof proof = store.proof(entry).orElseThrow();

        AuditRecord digest = proof.digest();
        assertThat(Canonical.expectedHash(digest)).isEqualTo(digest.hash());
        assertThat(Pipeline.SIGNER.keys().problem(digest.hash(), digest.signature(), digest.time())).isEmpty();
        assertThat(digest.payload().path("merkleRoot").asText()).isEqualTo(proof.merkleRoot());
        List<byte[]> path = proof.path().stream().map(Merkle::unhex).toList();
        byte[] root = Merkle.rootFromInclusionPath(Merkle.entryLeaf(entry.hash()), proof.leafIndex(),
                proof.treeSize(), path);
        assertThat(Merkle.hex(root)).isEqualTo(proof.merkleRoot());
        assertThat(proof.leafIndex()).isEqualTo(entry.sequence() - digest.payload().path("fromSequence").asLong());
        // Log2 of the records the digest closes, not all of them.
        assertThat(proof.path().size()).isLessThanOrEqualTo(3);
    }

    @Test
    void aCsvExportEndsWithATrailerRowAndDefusesFormulas() throws Exception {
        List<String> lines = export(EventStore.Format.CSV, Duration.ofMinutes(1)).lines().toList();

        assertThat(lines).hasSize(1 + 16 + 1);
        assertThat(lines.get(lines.size() - 1)).startsWith(",TRAILER,").contains("\"\"rows\"\":16");
    }
}
