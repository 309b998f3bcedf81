package dev.meridian.audit.api;

import static dev.meridian.testkit.security.Callers.as;
import static dev.meridian.testkit.security.Callers.everywhere;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.audit.Events;
import dev.meridian.audit.Pipeline;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.service.problem.Problem;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import dev.meridian.testkit.quarkus.PostgresTestResource;
import dev.meridian.testkit.security.DoorMatrix;
import dev.meridian.testkit.security.DoorMatrix.Scope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every door of the audit × every role × a token of the region, of another region and of every region × every kind
 * of bad token, generated from the service's OpenAPI document (see {@link DoorMatrix}).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class DoorMatrixIT {

    /**
     * Regions no other test writes to: each read the matrix is let through is itself recorded, in REGION's chain (a
     * search naming no region, and a role refusal, in the home region's), so no other test's counts change.
     */
    private static final String REGION = "sa-east";
    private static final String OTHER = "af-south";
    private static final Set<String> AUDITORS = Set.of(Roles.AUDITOR, Roles.ADMIN);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyDoorAnswersEachRoleAndRegionAsItsRuleSays() {
        String pool = "matrix-" + UUID.randomUUID().toString().substring(0, 8);
        Events.Input entry = Events.scale(REGION, pool, ScaleAction.SCALE_OUT, Instant.now());
        String id = entry.ceId();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        try (KafkaProducer<String, byte[]> producer = Pipeline.producer(bootstrap)) {
            producer.send(entry.toProducerRecord());
        }
        // Stored and closed by a signed digest (every 2 s in tests): each door has REGION's answer to give.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> everywhere(Roles.ADMIN).get("/v1/audit/events/" + id + "/proof").statusCode() == 200);

        int requests = new DoorMatrix(REGION, OTHER)
                // Naming no region, a search is limited to the caller's; the entry's id is in the answer only.
                .rule("GET /v1/audit/events", AUDITORS, Scope.FILTERED, 200, id, (caller, region) -> caller
                        .queryParam("resource", "pool:" + region + "/" + pool).queryParam("limit", 5)
                        .get("/v1/audit/events"))
                .rule("GET /v1/audit/events/{id}", AUDITORS, Scope.BY_ID, 200, pool,
                        (caller, region) -> caller.get("/v1/audit/events/" + id))
                .rule("GET /v1/audit/events/{id}/proof", AUDITORS, Scope.BY_ID, 200, "\"leafIndex\"",
                        (caller, region) -> caller.get("/v1/audit/events/" + id + "/proof"))
                // REGION's chain alone: its entry, the matrix's recorded reads and their digests, a few dozen lines.
                .rule("GET /v1/audit/export", AUDITORS, Scope.NAMED, 200, pool, (caller, region) -> caller
                        .queryParam("format", "ndjson").queryParam("region", region).get("/v1/audit/export"))
                .rule("GET /v1/audit/verify", AUDITORS, Scope.NAMED, 200, "\"anchor\"",
                        (caller, region) -> caller.queryParam("region", region).get("/v1/audit/verify"))
                // The digest keys hold no region's data: an outsider who checks an export must be able to fetch them.
                .publicDoor("GET /v1/audit/keys", 200, "\"publicKey\"",
                        (caller, region) -> caller.get("/v1/audit/keys"))
                .assertAll();

        assertThat(requests).as("the matrix really ran").isGreaterThan(100);
        // Naming a region outside the token, a search is refused as the export and verify doors are.
        as(Roles.AUDITOR, OTHER).queryParam("region", REGION).get("/v1/audit/events").then().statusCode(403)
                .contentType(Problem.MEDIA_TYPE);
    }
}
