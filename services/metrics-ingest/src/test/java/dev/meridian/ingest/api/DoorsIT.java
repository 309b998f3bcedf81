package dev.meridian.ingest.api;

import static dev.meridian.testkit.security.Callers.as;
import static dev.meridian.testkit.security.Callers.bearer;
import static dev.meridian.testkit.security.Callers.everywhere;
import static dev.meridian.testkit.security.Callers.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.DeadLetterHeaders;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.DeadLetterBudget;
import dev.meridian.ingest.intake.RawFormat;
import dev.meridian.ingest.intake.RegionPermit;
import dev.meridian.ingest.intake.Samples;
import dev.meridian.ingest.intake.ValidatedBy;
import dev.meridian.ingest.remotewrite.NodeSeriesSample;
import dev.meridian.ingest.remotewrite.RemoteWritePayloads;
import dev.meridian.ingest.remotewrite.WriteRequestBytes;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.metrics.MetricCatalog;
import dev.meridian.testkit.metrics.StrictExposition;
import dev.meridian.service.kafka.KafkaClientSettings;
import dev.meridian.testkit.kafka.AclProbe;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import dev.meridian.testkit.security.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/**
 * The HTTP doors against a real in-process broker: what they answer and what really lands on the topics, and who
 * may use them (every REST endpoint of the service, the utilization reads included).
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = KafkaTestResource.KAFKA_USER_ARG, value = "meridian-metrics-ingest"))
class DoorsIT {

    /** The service's own login ({@code meridian-metrics-ingest}), as its hand-built clients use it. */
    @Inject
    KafkaClientSettings serviceLogin;

    @Test
    void itsLoginIsRefusedWhatOtherServicesDo() {
        Map<String, Object> login = serviceLogin.connection();
        assertThat(login).containsEntry("security.protocol", "SASL_SSL");

        // Least privilege, and the probe itself sound: what it must do is allowed.
        assertThat(AclProbe.surprises(login,
                List.of(TopicCatalog.SCALING_COMMANDS, TopicCatalog.ROUTING_WEIGHTS),
                List.of(TopicCatalog.AUDIT_LOG, TopicCatalog.OPERATOR_ACTIONS, TopicCatalog.METRICS_NODE),
                TopicCatalog.METRICS_RAW)).isEmpty();
    }

    @Test
    void acceptsJsonArrayPublishesGoodSamplesAndDeadLettersBadOnes() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().minusSeconds(1);
        ObjectNode bad = Samples.valid("bad-" + run, now);
        bad.put("gpuUtil", 101);
        String body = "[" + Samples.valid("a-" + run, now) + ",\n  " + bad + ", " + Samples.valid("b-" + run, now) + "]";

        everywhere(Roles.AGENT).contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/metrics")
                .then().statusCode(202)
                .contentType("application/json")
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(1))
                .body("errors", hasSize(1))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("gpuUtil"))
                .body("errors[0].rule", equalTo("range"))
                .body("errors[0].reason", containsString("101"));

        // On the raw topic keyed by node, marked as checked: the intake only parses and windows them.
        List<ConsumerRecord<String, byte[]>> samples = TopicReader.await(TopicCatalog.METRICS_RAW, 2,
                r -> r.key() != null && r.key().endsWith(run));
        assertThat(samples).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("a-" + run, "b-" + run);
        assertThat(ContractJson.read(samples.get(0).value(), NodeMetric.class).timestamp()).isEqualTo(now);
        assertThat(header(samples.get(0).headers(), ValidatedBy.HEADER)).isEqualTo("http");
        assertThat(samples.get(0).timestamp()).isEqualTo(now.toEpochMilli());
        assertThat(TopicReader.await(TopicCatalog.UTILIZATION_NODE, 1, r -> ("a-" + run).equals(r.key())))
                .as("windowed in the one pass").hasSize(1);

        ConsumerRecord<String, byte[]> dead = TopicReader.await(TopicCatalog.METRICS_DLQ, 1,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("bad-" + run)).get(0);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(bad.toString());
        assertThat(header(dead.headers(), DeadLetterHeaders.DOOR)).isEqualTo("http");
        assertThat(header(dead.headers(), DeadLetterHeaders.RULE)).isEqualTo("range");
        assertThat(header(dead.headers(), DeadLetterHeaders.FIELD)).isEqualTo("gpuUtil");
    }

    @Test
    void acceptsNdjsonAndNumbersErrorsByLine() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().minusSeconds(1);
        String body = Samples.valid("nd-" + run, now) + "\n\n{\"nodeId\": \"broken\r\n"
                + Samples.valid("nd2-" + run, now).put("tier", "QUANTUM") + "\n";

        everywhere(Roles.AGENT).contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/metrics")
                .then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(2))
                .body("errors.index", org.hamcrest.Matchers.contains(2, 3))
                .body("errors.rule", org.hamcrest.Matchers.contains("json", "enum"));

        assertThat(TopicReader.await(TopicCatalog.METRICS_RAW, 1, r -> ("nd-" + run).equals(r.key()))).hasSize(1);
    }

    @Test
    void answers400ProblemWhenTheBodyCannotBeParsed() {
        everywhere(Roles.AGENT).contentType("application/json").body("[{\"nodeId\": \"x\"".getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/metrics")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:meridian:problem:unparseable-body"))
                .body("title", equalTo("Body cannot be parsed"))
                .body("status", equalTo(400))
                .body("detail", startsWith("malformed JSON"))
                .body("instance", equalTo("/v1/metrics"));
    }

    @Test
    void refusesADeclaredBodyAboveTheLimitAsProblemWithoutReadingIt() throws IOException {
        // Only the head is sent: the answer comes from the Content-Length alone, and the connection is closed after it.
        RawAnswer answer = RawAnswer.exchange("POST /v1/metrics HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + agentToken() + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10485760\r\n\r\n");

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("content-type")).startsWith("application/problem+json");
        assertThat(answer.header("connection")).isEqualToIgnoringCase("close");
        JsonNode problem = answer.json();
        assertThat(problem.get("type").asText()).isEqualTo("urn:meridian:problem:body-too-large");
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("detail").asText()).contains("10485760").contains("262144")
                .contains("meridian.ingest.http.max-body-size");
        assertThat(problem.get("instance").asText()).isEqualTo("/v1/metrics");
    }

    @Test
    void boundsAChunkedBodyAtTheLimitAndStillTakesOneWithin() throws IOException {
        // 256 KiB + 1 byte in chunks, the body not ended: refused once one byte past the limit has arrived.
        byte[] chunk = new byte[8192];
        byte[][] chunks = new byte[33][];
        Arrays.fill(chunks, 0, 32, chunk);
        chunks[32] = new byte[1];
        RawAnswer answer = RawAnswer.exchange("POST /api/v1/write HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + agentToken() + "\r\nContent-Type: application/x-protobuf\r\n"
                + "Content-Encoding: snappy\r\nTransfer-Encoding: chunked\r\n\r\n", false, chunks);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.header("content-type")).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("type").asText()).isEqualTo("urn:meridian:problem:body-too-large");
        assertThat(problem.get("detail").asText()).contains("262144").contains("meridian.ingest.http.max-body-size");
        assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/write");

        // A chunked body within the limit goes through as before.
        String node = "chunked-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] sample = Samples.bytes(Samples.valid(node, Instant.now().minusSeconds(1)));
        RawAnswer accepted = RawAnswer.exchange("POST /v1/metrics HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + agentToken() + "\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n", true,
                Arrays.copyOfRange(sample, 0, 10), Arrays.copyOfRange(sample, 10, sample.length));
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(TopicReader.upToEnd(TopicCatalog.METRICS_RAW, r -> node.equals(r.key()))).hasSize(1);
    }

    @Test
    void capsTheErrorListAndTheDeadLettersOfOneRequestWhileCountingExactly() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int bad = 1_005;
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < bad; i++) {
            body.append("{\"nodeId\":\"cap-").append(run).append('-').append(i).append("\"},");
        }
        body.append(Samples.valid("capok-" + run, Instant.now().minusSeconds(1))).append(']');

        everywhere(Roles.AGENT).contentType("application/json").body(body.toString())
                .when().post("/v1/metrics")
                .then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(bad))
                .body("errors", hasSize(100))
                .body("errors[99].index", equalTo(99))
                .body("errorsOmitted", equalTo(bad - 100));

        // One DLQ record for each of the first 1,000 rejected items, none twice; the other 5 are in one summary.
        List<ConsumerRecord<String, byte[]>> dead = TopicReader.upToEnd(TopicCatalog.METRICS_DLQ,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("cap-" + run + "-"));
        assertThat(dead).hasSize(1_000);
        assertThat(dead).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).doesNotHaveDuplicates()
                .contains("{\"nodeId\":\"cap-" + run + "-999\"}")
                .doesNotContain("{\"nodeId\":\"cap-" + run + "-1000\"}");
        List<ConsumerRecord<String, byte[]>> summaries = TopicReader.upToEnd(TopicCatalog.METRICS_DLQ,
                r -> DeadLetterBudget.RULE.equals(header(r.headers(), DeadLetterHeaders.RULE)));
        assertThat(summaries).singleElement().satisfies(summary -> {
            assertThat(header(summary.headers(), DeadLetterHeaders.DOOR)).isEqualTo("http");
            assertThat(header(summary.headers(), DeadLetterHeaders.REASON)).contains("5 more").contains("1000");
            JsonNode doc = ContractJson.mapper().readTree(summary.value());
            assertThat(doc.get("deadLettered").asInt()).isEqualTo(1_000);
            assertThat(doc.get("notDeadLettered").asInt()).isEqualTo(5);
            assertThat(doc.get("firstNotDeadLettered").asInt()).isEqualTo(1_000);
            assertThat(doc.get("rules").get("required").asInt()).isEqualTo(5);
        });

        // The interruptions door shares the list cap.
        everywhere(Roles.TERMINATION_HANDLER).contentType("application/json")
                .body("[" + String.join(",", Collections.nCopies(150, "{}")) + "]")
                .when().post("/v1/interruptions")
                .then().statusCode(202)
                .body("rejected", equalTo(150))
                .body("errors", hasSize(100))
                .body("errorsOmitted", equalTo(50));
        // And the API description says so.
        given().when().get("/q/openapi").then().statusCode(200)
                .body(containsString("errorsOmitted")).body(containsString("max-listed-errors"));
    }

    @Test
    void refusesControlCharactersInIdentifiersAtTheHttpAndRemoteWriteDoors() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().minusSeconds(1);
        ObjectNode nulNode = Samples.valid("nul\u0000" + run, now);
        ObjectNode nulPool = Samples.valid("nulpool-" + run, now).put("pool", "llm\u0000" + run);

        everywhere(Roles.AGENT).contentType("application/json")
                .body("[" + nulNode + "," + nulPool + "," + Samples.valid("nulok-" + run, now) + "]")
                .when().post("/v1/metrics")
                .then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(2))
                .body("errors.field", org.hamcrest.Matchers.contains("nodeId", "pool"))
                .body("errors.rule", org.hamcrest.Matchers.contains("control character", "control character"))
                .body("errors[0].reason", containsString("U+0000"));

        long t = now.toEpochMilli();
        String rwNode = "rwnul\u0000" + run;
        String rwPoolNode = "rwnulpool-" + run;
        String[] poolLabels = gpuLabels(rwPoolNode, "0");
        poolLabels[9] = "llm\u0000" + run;
        everywhere(Roles.AGENT).contentType("application/x-protobuf").header("Content-Encoding", "snappy")
                .body(RemoteWritePayloads.request()
                        .series("DCGM_FI_DEV_GPU_UTIL", 55, t, gpuLabels(rwNode, "0"))
                        .series("DCGM_FI_DEV_FB_USED", 100, t, gpuLabels(rwNode, "0"))
                        .series("DCGM_FI_DEV_FB_FREE", 900, t, gpuLabels(rwNode, "0"))
                        .series("DCGM_FI_DEV_GPU_UTIL", 55, t, poolLabels)
                        .series("DCGM_FI_DEV_FB_USED", 100, t, poolLabels)
                        .series("DCGM_FI_DEV_FB_FREE", 900, t, poolLabels)
                        .snappy())
                .when().post("/api/v1/write")
                .then().statusCode(204);

        // Each refused item dead-lettered once, with the rule; nothing of them on the raw topic, so never windowed.
        List<ConsumerRecord<String, byte[]>> dead = TopicReader.upToEnd(TopicCatalog.METRICS_DLQ,
                r -> r.key() != null && r.key().contains(run)
                        || new String(r.value(), StandardCharsets.UTF_8).contains(run));
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.DOOR) + ":"
                        + header(r.headers(), DeadLetterHeaders.FIELD) + ":"
                        + header(r.headers(), DeadLetterHeaders.RULE))
                .containsExactlyInAnyOrder("http:nodeId:control character", "http:pool:control character",
                        "remote_write:nodeId:control character", "remote_write:pool:control character");
        assertThat(TopicReader.upToEnd(TopicCatalog.METRICS_RAW, r -> r.key() != null && r.key().contains(run)))
                .extracting(ConsumerRecord::key).containsExactly("nulok-" + run);
    }

    @Test
    void refusesMoreItemsThanOneRequestMayHoldBeforeValidatingAny() {
        // 20,001 one-byte items: 40 KB, well inside the body limit, a heap's worth of items without the cap.
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(20_001, "1")) + "]";
        for (String path : List.of("/v1/metrics", "/v1/interruptions")) {
            everywhere(Roles.ADMIN).contentType("application/json").body(tooMany.getBytes(StandardCharsets.UTF_8))
                    .when().post(path)
                    .then().statusCode(413)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:meridian:problem:request-over-limit"))
                    .body("detail", containsString("more than 20000 items"))
                    .body("instance", equalTo(path));
        }
        String tooManyLines = String.join("\n", java.util.Collections.nCopies(20_001, "1"));
        everywhere(Roles.AGENT).contentType("application/x-ndjson")
                .body(tooManyLines.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/metrics")
                .then().statusCode(413)
                .body("detail", containsString("meridian.ingest.http.max-items-per-request"));
    }

    @Test
    void remoteWriteRefusesMoreSeriesOrLabelsThanOneRequestMayHold() {
        everywhere(Roles.AGENT).contentType("application/x-protobuf").header("Content-Encoding", "snappy")
                .body(WriteRequestBytes.snappy(50_001, 2, 1))
                .when().post("/api/v1/write")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:meridian:problem:request-over-limit"))
                .body("detail", containsString("more than 50000 series"))
                .body("detail", containsString("meridian.ingest.remote-write.max-series-per-request"));
        everywhere(Roles.AGENT).contentType("application/x-protobuf").header("Content-Encoding", "snappy")
                .body(WriteRequestBytes.snappy(2, 65, 1))
                .when().post("/api/v1/write")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:meridian:problem:item-over-limit"))
                .body("detail", containsString("more than 64 labels"))
                .body("detail", containsString("meridian.ingest.remote-write.max-labels-per-series"));
    }

    @Test
    void answersUnsupportedMediaTypeAsProblemToo() {
        everywhere(Roles.AGENT).contentType("text/plain").body("hello")
                .when().post("/v1/metrics")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
    }

    @Test
    void publishesInterruptionsKeyedByNode() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant notice = Instant.now();
        String one = ContractJson.writeString(new Interruption("spot-" + run, "us-east", "batch", notice,
                notice.plusSeconds(120), "aws-spot-itn"));
        String backwards = "{\"nodeId\":\"spot2-" + run + "\",\"region\":\"us-east\",\"pool\":\"batch\",\"noticeAt\":\""
                + notice + "\",\"deadline\":\"" + notice.minusSeconds(1) + "\",\"source\":\"aws-spot-itn\"}";

        everywhere(Roles.TERMINATION_HANDLER).contentType("application/json").body(one)
                .when().post("/v1/interruptions")
                .then().statusCode(202).body("accepted", equalTo(1)).body("rejected", equalTo(0));
        everywhere(Roles.TERMINATION_HANDLER).contentType("application/json").body("[" + backwards + "]")
                .when().post("/v1/interruptions")
                .then().statusCode(202).body("accepted", equalTo(0))
                .body("errors[0].field", equalTo("deadline")).body("errors[0].rule", equalTo("order"));
        // A NUL in an identifier once wedged the audit store; a notice dated 1970 would be chained into a month
        // retention drops. Both stop at the door, and the good notice beside them still goes through.
        String nul = one.replace("aws-spot-itn", "itn\\u0000x").replace("spot-" + run, "spot3-" + run);
        String epoch = one.replace(notice.toString(), Instant.EPOCH.toString()).replace("spot-" + run, "spot4-" + run);
        everywhere(Roles.TERMINATION_HANDLER).contentType("application/json").body("[" + nul + "," + epoch + "]")
                .when().post("/v1/interruptions")
                .then().statusCode(202).body("accepted", equalTo(0)).body("rejected", equalTo(2))
                .body("errors[0].field", equalTo("source")).body("errors[0].rule", equalTo("control character"))
                .body("errors[1].field", equalTo("noticeAt")).body("errors[1].rule", equalTo("too old"));

        ConsumerRecord<String, byte[]> record = TopicReader.await(TopicCatalog.FLEET_INTERRUPTIONS, 1,
                r -> ("spot-" + run).equals(r.key())).get(0);
        assertThat(ContractJson.read(record.value(), Interruption.class).deadline()).isEqualTo(notice.plusSeconds(120));
        assertThat(header(record.headers(), CloudEventHeaders.TYPE)).isEqualTo("dev.meridian.fleet.interruption.v1");
        // Who submitted it, from the verified token, for audit's actor: not the "aws-spot-itn" the body claims.
        assertThat(header(record.headers(), AuthContext.ID_HEADER)).isEqualTo(user(Roles.TERMINATION_HANDLER));
        assertThat(header(record.headers(), AuthContext.TYPE_HEADER)).isEqualTo(AuthContext.USER);
    }

    @Test
    void remoteWritePublishesNodeReadingsProbesAndDeadLettersTheCorruptSample() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long t = Instant.now().minusSeconds(1).toEpochMilli();
        String node = "rw-" + run;
        byte[] payload = RemoteWritePayloads.request()
                .series("DCGM_FI_DEV_GPU_UTIL", 55, t, gpuLabels(node, "0"))
                .series("DCGM_FI_DEV_FB_USED", 100, t, gpuLabels(node, "0"))
                .series("DCGM_FI_DEV_FB_FREE", 900, t, gpuLabels(node, "0"))
                .series("DCGM_FI_DEV_FB_USED", 4294967295d, t, gpuLabels(node, "1"))
                .series("probe_duration_seconds", 0.042, t, "source_region", "us-east-" + run, "target_region", "eu-west")
                .snappy();

        everywhere(Roles.AGENT).contentType("application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0").body(payload)
                .when().post("/api/v1/write")
                .then().statusCode(204);

        ConsumerRecord<String, byte[]> raw = TopicReader.await(TopicCatalog.METRICS_RAW, 1, r -> node.equals(r.key())).get(0);
        assertThat(header(raw.headers(), RawFormat.HEADER)).isEqualTo("prometheus-node");
        assertThat(ContractJson.read(raw.value(), NodeSeriesSample.class).gpus()).hasSize(1);
        ConsumerRecord<String, byte[]> probe = TopicReader.await(TopicCatalog.LATENCY, 1,
                r -> ("us-east-" + run + "/eu-west").equals(r.key())).get(0);
        assertThat(ContractJson.read(probe.value(), LatencyProbe.class).rttMs()).isEqualTo(42.0);
        ConsumerRecord<String, byte[]> dead = TopicReader.await(TopicCatalog.METRICS_DLQ, 1,
                r -> node.equals(r.key()) && "remote_write".equals(header(r.headers(), DeadLetterHeaders.DOOR))).get(0);
        assertThat(header(dead.headers(), DeadLetterHeaders.RULE)).isEqualTo("range");
        assertThat(header(dead.headers(), DeadLetterHeaders.FIELD)).isEqualTo("DCGM_FI_DEV_FB_USED");
    }

    @Test
    void remoteWriteAnswers400OnlyForAnUndecodablePayload() {
        everywhere(Roles.AGENT).contentType("application/x-protobuf").header("Content-Encoding", "snappy")
                .body("definitely not snappy".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/write")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("instance", equalTo("/api/v1/write"));
    }

    @Test
    void countsAcceptedAndRejectedSamplesPerDoorAndRule() {
        Instant now = Instant.now().minusSeconds(1);
        ObjectNode skewed = Samples.valid("m-" + UUID.randomUUID(), now.plusSeconds(60));
        everywhere(Roles.AGENT).contentType("application/json")
                .body("[" + Samples.valid("m-" + UUID.randomUUID(), now) + "," + skewed + "]")
                .when().post("/v1/metrics").then().statusCode(202);

        Management.given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("meridian_ingest_samples_accepted_total{door=\"http\"}"))
                .body(containsString("meridian_ingest_samples_rejected_total{door=\"http\",rule=\"clock skew\"}"));
        String scrape = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        // deploy/'s alerts and dashboards name these (deploy/observability/metrics.txt).
        assertThat(MetricCatalog.missingFrom("metrics-ingest", scrape)).isEmpty();
        // The whole page as strict scrapers (promtool check metrics, Telegraf) read it.
        assertThat(StrictExposition.problems(scrape)).isEmpty();
    }

    @Test
    void aCallerWritesOnlyForTheRegionsOfItsTokenItemByItem() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().minusSeconds(1);
        ObjectNode own = Samples.valid("eu-" + run, now).put("region", "eu-west").put("zone", "eu-west-1a");
        ObjectNode foreign = Samples.valid("ap-" + run, now).put("region", "ap-southeast").put("zone", "ap-southeast-1a");

        // Callers of this run alone, so that the refusals reported below are theirs.
        String agent = "agent-" + run;
        String handler = "handler-" + run;
        acceptsOwnRefusesForeign(bearer(TestTokens.token(agent, Roles.AGENT, List.of("eu-west"))), "/v1/metrics",
                "[" + own + "," + foreign + "]");

        Instant noticeAt = Instant.now();
        String ownNotice = ContractJson.writeString(new Interruption("spot-eu-" + run, "eu-west", "batch", noticeAt,
                noticeAt.plusSeconds(120), "aws-spot-itn"));
        String foreignNotice = ContractJson.writeString(new Interruption("spot-ap-" + run, "ap-southeast", "batch",
                noticeAt, noticeAt.plusSeconds(120), "aws-spot-itn"));
        acceptsOwnRefusesForeign(bearer(TestTokens.token(handler, Roles.TERMINATION_HANDLER, List.of("eu-west"))),
                "/v1/interruptions",
                "[" + ownNotice + "," + foreignNotice + "]");

        assertThat(TopicReader.await(TopicCatalog.METRICS_RAW, 1, r -> ("eu-" + run).equals(r.key()))).hasSize(1);
        assertThat(TopicReader.await(TopicCatalog.FLEET_INTERRUPTIONS, 1, r -> ("spot-eu-" + run).equals(r.key())))
                .hasSize(1);
        ConsumerRecord<String, byte[]> dead = TopicReader.await(TopicCatalog.METRICS_DLQ, 1,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("ap-" + run)).get(0);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(foreign.toString());
        assertThat(header(dead.headers(), DeadLetterHeaders.RULE)).isEqualTo(RegionPermit.RULE);
        assertThat(header(dead.headers(), DeadLetterHeaders.FIELD)).isEqualTo("region");
        assertThat(header(dead.headers(), DeadLetterHeaders.DOOR)).isEqualTo("http");
        ConsumerRecord<String, byte[]> deadNotice = TopicReader.await(TopicCatalog.METRICS_DLQ, 1,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("spot-ap-" + run)).get(0);
        assertThat(header(deadNotice.headers(), DeadLetterHeaders.RULE)).isEqualTo(RegionPermit.RULE);
        assertThat(header(deadNotice.headers(), DeadLetterHeaders.DOOR)).isEqualTo("interruptions");
        // Both doors answered only once Kafka acknowledged all they published: what is not there now never will be.
        TopicReader.awaitNone(TopicCatalog.METRICS_RAW, Duration.ofSeconds(3), r -> ("ap-" + run).equals(r.key()));
        TopicReader.awaitNone(TopicCatalog.FLEET_INTERRUPTIONS, Duration.ofSeconds(3),
                r -> ("spot-ap-" + run).equals(r.key()));

        // Each refusal is also reported to the audit, in the chain of the region the items named, with the principal.
        assertThat(refusalsIn("ap-southeast", agent)).singleElement().satisfies(denial -> {
            assertThat(denial.status()).isEqualTo(403);
            assertThat(denial.door()).isEqualTo("POST /v1/metrics");
            assertThat(denial.reason()).isEqualTo(RegionPermit.RULE + ": 1 item");
        });
        assertThat(refusalsIn("ap-southeast", handler)).singleElement()
                .satisfies(denial -> assertThat(denial.door()).isEqualTo("POST /v1/interruptions"));

        String scrape = Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(scrape)
                .contains("meridian_ingest_samples_rejected_total{door=\"http\",rule=\"region-not-permitted\"}")
                .contains("meridian_ingest_samples_rejected_total{door=\"interruptions\",rule=\"region-not-permitted\"}");
    }

    /** The refusals of {@code principal} reported for {@code region} (the audit's input, keyed by region). */
    private static List<AccessDenial> refusalsIn(String region, String principal) {
        List<AccessDenial> refusals = TopicReader.await(TopicCatalog.AUDIT_OPERATIONS, 1, r -> region.equals(r.key())
                && AccessDenial.TYPE.equals(CloudEventHeaders.read(r.headers()).orElseThrow().type())
                && principal.equals(ContractJson.read(r.value(), AccessDenial.class).principal()))
                .stream().map(r -> ContractJson.read(r.value(), AccessDenial.class)).toList();
        assertThat(refusals).allSatisfy(denial -> assertThat(denial.region()).isEqualTo(region));
        return refusals;
    }

    /** Posts {@code [own, foreign]}: the first item is accepted, the second refused for its region alone. */
    private static void acceptsOwnRefusesForeign(RequestSpecification caller, String door, String body) {
        caller.contentType("application/json").body(body)
                .when().post(door)
                .then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(1))
                .body("errors", hasSize(1))
                .body("errors[0].index", equalTo(1))
                .body("errors[0].field", equalTo("region"))
                .body("errors[0].rule", equalTo(RegionPermit.RULE))
                .body("errors[0].reason", containsString("ap-southeast"));
    }

    private static String[] gpuLabels(String node, String gpu) {
        return new String[] {"Hostname", node, "gpu", gpu, "region", "us-east", "zone", "us-east-1a", "pool", "llm",
            "tier", "CORE_GPU", "instance_type", "p5.48xlarge", "capacity_type", "SPOT"};
    }

    private static String agentToken() {
        return TestTokens.token(user(Roles.AGENT), Roles.AGENT, List.of("*"));
    }

    /**
     * One request on a connection of its own, written byte by byte as a client would, and the answer read until the
     * server closes the connection: for what a client library will not send (a Content-Length without its body, a
     * chunked body left unfinished).
     */
    private record RawAnswer(int status, Map<String, String> headers, byte[] body) {

        static RawAnswer exchange(String head) throws IOException {
            return exchange(head, false);
        }

        /** {@code chunks} as a chunked body, ended ({@code end}) or not. */
        static RawAnswer exchange(String head, boolean end, byte[]... chunks) throws IOException {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                socket.setSoTimeout(20_000);
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                for (byte[] chunk : chunks) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                if (end) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                try {
                    socket.getInputStream().transferTo(answer);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the server neither ended its answer nor closed the connection; got ["
                            + answer.toString(StandardCharsets.ISO_8859_1) + "]", e);
                }
                return parse(answer.toByteArray());
            }
        }

        private static RawAnswer parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            assertThat(split).as("a whole HTTP head in %s", text).isPositive();
            String[] lines = text.substring(0, split).split("\r\n");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            String rest = text.substring(split + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                StringBuilder body = new StringBuilder();
                for (int at = 0;;) {
                    int eol = rest.indexOf("\r\n", at);
                    int size = Integer.parseInt(rest.substring(at, eol).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    body.append(rest, eol + 2, eol + 2 + size);
                    at = eol + 2 + size + 2;
                }
                rest = body.toString();
            } else if (headers.containsKey("content-length")) {
                rest = rest.substring(0, Integer.parseInt(headers.get("content-length")));
            }
            return new RawAnswer(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    rest.getBytes(StandardCharsets.ISO_8859_1));
        }

        String header(String name) {
            return headers.get(name);
        }

        JsonNode json() throws IOException {
            return ContractJson.mapper().readTree(body);
        }
    }

    private static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
