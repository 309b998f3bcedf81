package dev.meridian.audit.api;

import static dev.meridian.testkit.security.Callers.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.audit.Events;
import dev.meridian.audit.Pipeline;
import dev.meridian.audit.chain.ChainHead;
import dev.meridian.audit.chain.Chains;
import dev.meridian.audit.chain.Operation;
import dev.meridian.audit.store.BulkInsert;
import dev.meridian.auditproof.Canonical;
import dev.meridian.auditproof.DigestKeys;
import dev.meridian.auditproof.ExportVerifier;
import dev.meridian.auditproof.Merkle;
import dev.meridian.contracts.audit.AuditRecord;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.service.problem.Problem;
import dev.meridian.testkit.metrics.MetricCatalog;
import dev.meridian.testkit.metrics.StrictExposition;
import dev.meridian.testkit.security.TestTokens;
import dev.meridian.audit.store.StoreWriter;
import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.testkit.kafka.AclProbe;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import dev.meridian.testkit.quarkus.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API over the real pipeline: operations produced to the broker, chained, stored, then read back. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = KafkaTestResource.KAFKA_USER_ARG, value = "meridian-audit"))
@WithTestResource(value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = PostgresTestResource.TLS_ARG, value = "true"))
class AuditApiIT {

    /** The service's own login ({@code meridian-audit}), as its hand-built clients use it. */
    @Inject
    KafkaClientSettings serviceLogin;

    @Test
    void itsLoginIsRefusedWhatOtherServicesDo() {
        Map<String, Object> login = serviceLogin.connection();
        assertThat(login).containsEntry("security.protocol", "SASL_SSL");

        // Least privilege, and the probe itself sound: what it must do is allowed.
        assertThat(AclProbe.surprises(login,
                List.of(TopicCatalog.SCALING_COMMANDS, TopicCatalog.ROUTING_WEIGHTS, TopicCatalog.COST_SPEND),
                List.of(TopicCatalog.METRICS_RAW), TopicCatalog.AUDIT_LOG)).isEmpty();
    }

    @Test
    void writerAndReaderTalkToPostgresOverVerifiedTls13() throws Exception {
        // The server refuses plaintext TCP; every session of the service — the writer's, named, and the API's pool —
        // is TLS 1.3, verified against the CA the datasource URL names.
        assertThat(dataSource.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration()
                .jdbcUrl()).contains("sslmode=verify-full");
        List<String> sessions = await().atMost(Duration.ofSeconds(60)).until(this::tcpSessions,
                rows -> rows.stream().anyMatch(row -> row.startsWith(StoreWriter.APPLICATION_NAME + " ")));
        assertThat(sessions).allSatisfy(row -> assertThat(row).endsWith(" true TLSv1.3"));
    }

    /** Each TCP session of the database as "application ssl version". */
    private List<String> tcpSessions() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT a.application_name, l.ssl, l.version FROM pg_stat_activity a"
                        + " JOIN pg_stat_ssl l ON l.pid = a.pid WHERE a.client_port IS NOT NULL AND a.client_port >= 0"
                        + " AND a.backend_type = 'client backend'")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getBoolean(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }

    private static final String ADMIN_ALL = TestTokens.token("root", "admin", List.of("*"));

    @ConfigProperty(name = KafkaTestResource.TEST_CLIENTS_BOOTSTRAP)
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void ready() {
        producer = Pipeline.producer(bootstrap);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @AfterEach
    void close() {
        producer.close();
    }


    /** Produces operations and waits until the search API returns all of them (the resource is unique per call). */
    private List<JsonNode> stored(String resourceTag, List<Events.Input> inputs) {
        inputs.forEach(input -> producer.send(input.toProducerRecord()));
        producer.flush();
        List<JsonNode> items = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            items.clear();
            items.addAll(items(bearer(ADMIN_ALL).queryParam("resource", resourceTag).queryParam("limit", 1000)
                    .get("/v1/audit/events")));
            return items.size() == inputs.size();
        });
        return items;
    }

    /** The items of a search page, as JSON trees. */
    private static List<JsonNode> items(Response response) throws java.io.IOException {
        response.then().statusCode(200);
        List<JsonNode> items = new ArrayList<>();
        ContractJson.mapper().readTree(response.asString()).path("items").forEach(items::add);
        return items;
    }

    private static Events.Input scale(String region, String pool, Instant at) {
        return Events.scale(region, pool, ScaleAction.SCALE_OUT, at);
    }

    @Test
    void searchIsNewestFirstAndItsPagesStayStableWhileEntriesArrive() {
        String pool = "page-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<Events.Input> inputs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inputs.add(scale("eu-west", pool, t0.plusSeconds(i)));
        }
        stored("pool:eu-west/" + pool, inputs);
        String token = TestTokens.token("paula", "auditor", List.of("eu-west"));

        Response first = bearer(token).queryParam("resource", "pool:eu-west/" + pool).queryParam("limit", 2)
                .get("/v1/audit/events");
        // A newer entry arrives between pages: it belongs before page one and must not shift the later pages.
        stored("pool:eu-west/" + pool, List.of(inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3),
                inputs.get(4), scale("eu-west", pool, t0.plusSeconds(60))));
        List<String> paged = new ArrayList<>(first.jsonPath().getList("items.id", String.class));
        String cursor = first.jsonPath().getString("nextCursor");
        while (cursor != null) {
            Response next = bearer(token).queryParam("resource", "pool:eu-west/" + pool).queryParam("limit", 2)
                    .queryParam("cursor", cursor).get("/v1/audit/events");
            next.then().statusCode(200);
            paged.addAll(next.jsonPath().getList("items.id", String.class));
            cursor = next.jsonPath().getString("nextCursor");
        }

        // Entries take the chainer's time, which grows along a chain: newest first is the reverse of the order sent.
        assertThat(paged).containsExactly(inputs.get(4).ceId(), inputs.get(3).ceId(), inputs.get(2).ceId(),
                inputs.get(1).ceId(), inputs.get(0).ceId());
    }

    @Test
    void entryByIdOnlyForItsRegionsCallers() {
        String pool = "get-" + UUID.randomUUID().toString().substring(0, 8);
        Events.Input input = scale("us-east", pool, Instant.now());
        stored("pool:us-east/" + pool, List.of(input));

        bearer(TestTokens.token("olga", "auditor", List.of("us-east"))).get("/v1/audit/events/" + input.ceId())
                .then().statusCode(200).body("id", equalTo(input.ceId())).body("action", equalTo("scale.scale_out"))
                .body("payload.pool", equalTo(pool));
        // Another region's entry answers exactly as an unknown id would: its existence is not revealed.
        String otherRegion = bearer(TestTokens.token("erik", "auditor", List.of("eu-west")))
                .get("/v1/audit/events/" + input.ceId()).then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .extract().asString();
        String unknown = bearer(TestTokens.token("erik", "auditor", List.of("eu-west"))).get("/v1/audit/events/no-such-id")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemMapper.NOT_FOUND.toString())).extract().asString();
        assertThat(otherRegion.replace(input.ceId(), "<id>")).isEqualTo(unknown.replace("no-such-id", "<id>"));
    }

    @Test
    void exportStreamsEveryMatchingEntryAsCsvOrNdjson() throws Exception {
        String pool = "export-" + UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.now();
        List<Events.Input> inputs = List.of(scale("us-east", pool, at), scale("us-east", pool, at.plusMillis(1)),
                scale("us-east", pool, at.plusMillis(2)));
        stored("pool:us-east/" + pool, inputs);
        // Up to now: us-east keeps growing (every read is recorded there), the export's window does not.
        String to = Instant.now().toString();
        String token = TestTokens.token("ana", "auditor", List.of("us-east"));

        Response csv = bearer(token).queryParam("format", "csv").queryParam("resource", "pool:us-east/" + pool)
                .queryParam("to", to).get("/v1/audit/export");
        csv.then().statusCode(200).contentType(containsString("text/csv"));
        List<String> lines = csv.asString().lines().toList();
        assertThat(lines.get(0)).startsWith("id,kind,region,sequence,time,actor");
        // Entries outside the filter are links (place and hashes) so the chain stays whole; digests are whole.
        assertThat(lines.subList(1, lines.size() - 1)).filteredOn(line -> line.contains(",RECORD,")).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains(",RECORD,us-east,").contains(pool));
        assertThat(lines.subList(1, lines.size() - 1)).allSatisfy(line -> assertThat(line)
                .containsAnyOf(",RECORD,", ",DIGEST,", ",LINK,"));
        assertThat(lines.get(lines.size() - 1)).startsWith(",TRAILER,").contains("\"\"complete\"\":true");

        Response ndjson = bearer(token).queryParam("format", "ndjson").queryParam("resource", "pool:us-east/" + pool)
                .queryParam("to", to).get("/v1/audit/export");
        ndjson.then().statusCode(200).contentType(containsString("application/x-ndjson"));
        List<String> ndjsonLines = ndjson.asString().lines().toList();
        List<String> ids = new ArrayList<>();
        for (String line : ndjsonLines.subList(0, ndjsonLines.size() - 1)) {
            JsonNode entry = ContractJson.mapper().readTree(line);
            if (entry.has("link") || entry.path("kind").asText().equals("DIGEST")) {
                continue;
            }
            assertThat(entry.path("payload").path("pool").asText()).isEqualTo(pool);
            ids.add(entry.path("id").asText());
        }
        // Chain order: the order they were sent.
        assertThat(ids).containsExactly(inputs.get(0).ceId(), inputs.get(1).ceId(), inputs.get(2).ceId());
        JsonNode trailer = ContractJson.mapper().readTree(ndjsonLines.get(ndjsonLines.size() - 1)).path("trailer");
        assertThat(trailer.path("rows").asLong()).isEqualTo(ndjsonLines.size() - 1);
        assertThat(trailer.path("complete").asBoolean()).isTrue();

        // What an outsider does: the keys from the open endpoint, the export, the offline verifier. Once a digest
        // closes the window's last entry, every entry is tied to a signed digest.
        byte[] keys = given().get("/v1/audit/keys").then().statusCode(200).extract().asByteArray();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String fresh = bearer(token).queryParam("format", "ndjson").queryParam("resource", "pool:us-east/" + pool)
                    .queryParam("to", to).get("/v1/audit/export").asString();
            ExportVerifier.Report report = new ExportVerifier(DigestKeys.read(keys))
                    .verify(new BufferedReader(new StringReader(fresh)));
            assertThat(report.bad()).as(() -> fresh.substring(0, Math.min(400, fresh.length()))).isEmpty();
            assertThat(report.entries() - report.digests()).isEqualTo(3);
            assertThat(report.links()).isPositive();
        });
    }

    @Test
    void digestKeysArePublishedToAnyoneWithoutAToken() {
        given().get("/v1/audit/keys").then().statusCode(200)
                .body("keys[0].keyId", equalTo("k1"))
                .body("keys[0].algorithm", equalTo("Ed25519"))
                .body("keys[0].publicKey", equalTo("MCowBQYDK2VwAyEAF1709AjAx+rSRiRM66Q1TF4TsadmVQn4hLbtNgEuA+w="));
    }

    @Test
    void anExportOverItsRowLimitIsRefusedBeforeItStarts() throws Exception {
        String region = "limit-" + UUID.randomUUID().toString().substring(0, 8);
        List<AuditRecord> entries = new ArrayList<>();
        ChainHead head = Chains.genesis();
        for (int i = 0; i <= 2_000; i++) {
            AuditRecord entry = Chains.record(head, new Operation(UUID.randomUUID().toString(), Instant.now(), region,
                    "alice", "scale.scale_out", "pool:" + region + "/gpu", "/test", "dev.meridian.scaling.command.v1",
                    ContractJson.mapper().createObjectNode()));
            head = Chains.advance(head, entry);
            entries.add(entry);
        }
        try (Connection c = dataSource.getConnection()) {
            BulkInsert.insertAll(c, entries);
        }

        bearer(ADMIN_ALL).queryParam("format", "ndjson").queryParam("region", region).get("/v1/audit/export").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemMapper.EXPORT_TOO_LARGE.toString()))
                .body("detail", containsString("more than 2000 entries match, the most an export holds"));
    }

    @Test
    void aProofOfAnEntryLeadsToTheRootOfTheSignedDigestThatClosesIt() throws Exception {
        String pool = "proof-" + UUID.randomUUID().toString().substring(0, 8);
        Events.Input input = scale("ap-southeast", pool, Instant.now());
        stored("pool:ap-southeast/" + pool, List.of(input));
        String token = TestTokens.token("pia", "auditor", List.of("ap-southeast"));

        Response proof = await().atMost(Duration.ofSeconds(30)).until(
                () -> bearer(token).get("/v1/audit/events/" + input.ceId() + "/proof"), r -> r.statusCode() == 200);

        JsonNode body = ContractJson.mapper().readTree(proof.asString());
        List<byte[]> path = new ArrayList<>();
        body.path("path").forEach(node -> path.add(Merkle.unhex(node.asText())));
        byte[] root = Merkle.rootFromInclusionPath(Merkle.entryLeaf(body.path("entryHash").asText()),
                body.path("leafIndex").asLong(), body.path("treeSize").asLong(), path);
        assertThat(Merkle.hex(root)).isEqualTo(body.path("digest").path("payload").path("merkleRoot").asText());
        AuditRecord digest = ContractJson.mapper().treeToValue(body.path("digest"), AuditRecord.class);
        DigestKeys keys = DigestKeys.read(given().get("/v1/audit/keys").asByteArray());
        assertThat(keys.problem(digest.hash(), digest.signature(), digest.time())).isEmpty();
        assertThat(Canonical.expectedHash(digest)).isEqualTo(digest.hash());
        bearer(token).get("/v1/audit/events/no-such-id/proof").then().statusCode(404);
    }

    @Test
    void anEntryWhoseIdHoldsSlashesIsFoundAndProvenByThatId() {
        // The scaler's command ids look like this: region/pool/action/purpose/time.
        String pool = "slash-" + UUID.randomUUID().toString().substring(0, 8);
        String id = "ap-southeast/" + pool + "/SCALE_OUT/warm/" + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Events.Input input = Events.contract(Events.scaleCommand("ap-southeast", pool, ScaleAction.SCALE_OUT,
                Instant.now()), "ap-southeast/" + pool, "ap-southeast", Instant.now(), id);
        stored("pool:ap-southeast/" + pool, List.of(input));

        bearer(ADMIN_ALL).get("/v1/audit/events/" + id).then().statusCode(200).body("id", equalTo(id));
        await().atMost(Duration.ofSeconds(30)).until(
                () -> bearer(ADMIN_ALL).get("/v1/audit/events/" + id + "/proof").statusCode() == 200);
        bearer(ADMIN_ALL).get("/v1/audit/events/" + id + "/proof").then().body("id", equalTo(id));
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                Arguments.of("/v1/audit/events", "from", "yesterday"),
                Arguments.of("/v1/audit/events", "to", "2026-13-01T00:00:00Z"),
                Arguments.of("/v1/audit/events", "limit", "0"),
                Arguments.of("/v1/audit/events", "limit", "1001"),
                Arguments.of("/v1/audit/events", "limit", "ten"),
                Arguments.of("/v1/audit/events", "cursor", "not-a-cursor"),
                Arguments.of("/v1/audit/export", "format", "xml"),
                Arguments.of("/v1/audit/verify", "from", "27.11.2026"));
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    void badParameterIsA400ProblemNamingIt(String path, String parameter, String value) {
        RequestSpecification request = bearer(ADMIN_ALL).queryParam(parameter, value);
        if (path.endsWith("export") && !parameter.equals("format")) {
            request.queryParam("format", "csv");
        }
        if (path.endsWith("verify")) {
            request.queryParam("region", "us-east");
        }
        request.get(path).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.INVALID_PARAMETER.toString()))
                .body("title", containsString(parameter));
    }

    @Test
    void fromAfterToAndMissingFormatAreRefused() {
        bearer(ADMIN_ALL).queryParam("from", "2026-11-27T12:00:00Z").queryParam("to", "2026-11-27T11:00:00Z")
                .get("/v1/audit/events").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("from must be before to"));
        bearer(ADMIN_ALL).get("/v1/audit/export").then().statusCode(400).body("title", containsString("format"));
        bearer(ADMIN_ALL).get("/v1/audit/verify").then().statusCode(400).body("title", containsString("region"));
    }

    @Test
    void injectionInAParameterIsPlainData() {
        bearer(ADMIN_ALL).queryParam("actor", "x' OR '1'='1").queryParam("resource", "'; DROP TABLE audit.events; --")
                .get("/v1/audit/events").then().statusCode(200).body("items.size()", equalTo(0));
        bearer(ADMIN_ALL).queryParam("region", "us-east' OR '1'='1").get("/v1/audit/events").then().statusCode(200)
                .body("items.size()", equalTo(0));
        bearer(ADMIN_ALL).queryParam("limit", 1).get("/v1/audit/events").then().statusCode(200);
    }

    @Test
    void readsAreRecordedWithWhoAndWhichFilters() {
        String marker = "marker-" + UUID.randomUUID();
        bearer(TestTokens.token("carol", "auditor", List.of("us-east"))).queryParam("region", "us-east")
                .queryParam("resource", marker).get("/v1/audit/events").then().statusCode(200);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<JsonNode> reads = items(bearer(ADMIN_ALL).queryParam("actor", "carol").queryParam("action", "audit.search")
                    .get("/v1/audit/events"));
            assertThat(reads).anySatisfy(read -> {
                assertThat(read.path("region").asText()).isEqualTo("us-east");
                assertThat(read.path("payload").path("resource").asText()).isEqualTo(marker);
            });
        });
    }

    @Test
    void verifyFindsAnIntactChainAndNamesTheRowAlteredInSql() throws Exception {
        String region = "ap-southeast";
        String pool = "tamper-" + UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.now();
        List<Events.Input> inputs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inputs.add(scale(region, pool, at.plusMillis(i)));
        }
        stored("pool:" + region + "/" + pool, inputs);
        String token = TestTokens.token("vera", "auditor", List.of(region));
        // Digests every 2 s in tests: wait for one that covers our entries, so verification can start from it.
        await().atMost(Duration.ofSeconds(30)).until(() -> bearer(ADMIN_ALL).queryParam("region", region)
                .queryParam("action", "audit.digest").queryParam("from", at.toString()).queryParam("limit", 1)
                .get("/v1/audit/events").jsonPath().getList("items.id").size() > 0);

        bearer(token).queryParam("region", region).get("/v1/audit/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("anchor", equalTo("genesis")).body("broken", equalTo(null));

        String victim = inputs.get(2).ceId();
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE audit.events SET actor = 'mallory' WHERE id = ?")) {
            update.setString(1, victim);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        bearer(token).queryParam("region", region).get("/v1/audit/verify").then().statusCode(200)
                .body("ok", equalTo(false)).body("broken.id", equalTo(victim))
                .body("broken.reason", containsString("content"));
        // Starting from a digest signed after the altered row, verification no longer walks over it.
        String later = Instant.now().plusSeconds(1).toString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> bearer(token).queryParam("region", region)
                .queryParam("from", later).get("/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true))
                .body("anchor", containsString("digest-" + region)));
    }

    @Test
    void aRecordTheStoreMustRefuseIsQuarantinedInItsPlaceAndStorageGoesOn() throws Exception {
        String region = "quarantine-" + UUID.randomUUID().toString().substring(0, 8);
        // Two entries as a writer other than the chainer could put them on the log, the first with a NUL in its actor
        // (PostgreSQL cannot store one; one such record once stopped all audit storage).
        ChainHead head = Chains.genesis();
        AuditRecord nul = Pipeline.foreignEntry(head, region, Instant.now(), "itn\u0000x", "fleet.interruption",
                "node:" + region + "/batch/n1", ContractJson.mapper().createObjectNode().put("nodeId", "n1"));
        AuditRecord next = Pipeline.foreignEntry(Chains.advance(head, nul), region, Instant.now(), "alice",
                "scale.scale_out", "pool:" + region + "/gpu", ContractJson.mapper().createObjectNode().put("pool", "gpu"));
        for (AuditRecord entry : List.of(nul, next)) {
            producer.send(new ProducerRecord<>(TopicCatalog.AUDIT_LOG, region,
                    ContractJson.mapper().writeValueAsBytes(entry)));
        }
        producer.flush();

        List<JsonNode> items = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            items.clear();
            items.addAll(items(bearer(ADMIN_ALL).queryParam("region", region).get("/v1/audit/events")));
            return items.size() == 2;
        });
        assertThat(items.get(0).path("id").asText()).isEqualTo(next.id());
        assertThat(items.get(1).path("action").asText()).isEqualTo("audit.quarantined");
        assertThat(items.get(1).path("hash").asText()).isEqualTo(nul.hash());
        assertThat(items.get(1).path("payload").path("kind").asText()).isEqualTo("control-character");
        bearer(ADMIN_ALL).queryParam("region", region).get("/v1/audit/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("checked", equalTo(2));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines()).contains("audit_writer_quarantined_total{reason=\"control-character\"} 1.0");
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        String pool = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        stored("pool:us-east/" + pool, List.of(scale("us-east", pool, Instant.now())));

        String ready = Management.given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertThat(ready).contains("audit-store-writer", "Kafka", "Database connections");
        Management.given().get("/q/health/live").then().statusCode(200)
                .body(containsString("audit-store-writer-thread"));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("audit_writer_rows_total", "audit_chain_appended_total{kind=\"RECORD\"",
                "audit_writer_batch_seconds_count");
        // deploy/'s alerts and dashboards name these (deploy/observability/metrics.txt).
        assertThat(MetricCatalog.missingFrom("audit", metrics)).isEmpty();
        // The whole page as strict scrapers (promtool check metrics, Telegraf) read it.
        assertThat(StrictExposition.problems(metrics)).isEmpty();
        // The API port serves the API and its description (no token), not health and metrics.
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/audit/events"))
                .body(containsString("/v1/audit/verify"));
        assertThat(given().get("/q/metrics").statusCode()).as("/q/metrics on the API port").isNotEqualTo(200);
        assertThat(given().get("/q/health/ready").statusCode()).as("/q/health on the API port").isNotEqualTo(200);
    }
}
