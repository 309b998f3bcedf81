package dev.meridian.ingest.api;

import static dev.meridian.testkit.security.Callers.everywhere;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.Samples;
import dev.meridian.ingest.remotewrite.RemoteWritePayloads;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import dev.meridian.testkit.security.Callers;
import dev.meridian.testkit.security.DoorMatrix;
import dev.meridian.testkit.security.DoorMatrix.Scope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every door of the ingest service × every role × a token of the region, of another region and of every region ×
 * every kind of bad token, generated from the service's OpenAPI document (see {@link DoorMatrix}).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class DoorMatrixIT {

    private static final String REGION = "ap-southeast";
    private static final String OTHER = "eu-west";
    private static final Set<String> READERS = Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);

    @Test
    void everyDoorAnswersEachRoleAndRegionAsItsRuleSays() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String node = "matrix-" + run;
        String pool = "pool-" + run;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        // A closed window of a node and a pool of REGION: what the reads must show its readers and no one else.
        everywhere(Roles.ADMIN).contentType("application/json")
                .body("[" + sample(node, pool, Instant.now()) + "]").post("/v1/metrics").then().statusCode(202);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() ->
                everywhere(Roles.VIEWER).get("/v1/utilization/nodes/{node}", node).statusCode() == 200
                        && everywhere(Roles.VIEWER).get("/v1/utilization/pools/{r}/{p}", REGION, pool)
                                .statusCode() == 200);

        int requests = new DoorMatrix(REGION, OTHER)
                .rule("POST /v1/metrics", Set.of(Roles.AGENT, Roles.ADMIN), Scope.PER_ITEM, 202, node,
                        (caller, region) -> caller.contentType("application/json")
                                .body("[" + sample(node, pool, Instant.now()) + "]").post("/v1/metrics"))
                .rule("POST /api/v1/write", Set.of(Roles.AGENT, Roles.ADMIN), Scope.PER_ITEM, 204, node,
                        (caller, region) -> caller.contentType("application/x-protobuf")
                                .header("Content-Encoding", "snappy")
                                .body(RemoteWritePayloads.request().series("DCGM_FI_DEV_GPU_UTIL", 40,
                                        Instant.now().toEpochMilli(), "Hostname", node, "gpu", "0", "region", region,
                                        "zone", region + "-1a", "pool", pool, "tier", "CORE_GPU",
                                        "instance_type", "p5.48xlarge", "capacity_type", "SPOT").snappy())
                                .post("/api/v1/write"))
                .rule("POST /v1/interruptions", Set.of(Roles.TERMINATION_HANDLER, Roles.ADMIN), Scope.PER_ITEM, 202,
                        node, (caller, region) -> caller.contentType("application/json")
                                .body("[" + ContractJson.writeString(new Interruption("spot-" + node, region, pool,
                                        Instant.now(), Instant.now().plusSeconds(120), "aws-spot-itn")) + "]")
                                .post("/v1/interruptions"))
                .rule("GET /v1/utilization/nodes/{nodeId}", READERS, Scope.BY_ID, 200, pool,
                        (caller, region) -> caller.get("/v1/utilization/nodes/{node}", node))
                // The pool's name is in the request itself; what only its data holds is its window.
                .rule("GET /v1/utilization/pools/{region}/{pool}", READERS, Scope.NAMED, 200, "\"windowStart\"",
                        (caller, region) -> caller.get("/v1/utilization/pools/{r}/{p}", region, pool))
                .assertAll();

        assertThat(requests).as("the matrix really ran").isGreaterThan(100);
        // Refusals went to the audit: a 401 with the peer and no principal, a 403 with the principal, in REGION.
        assertThat(refusals(401)).anySatisfy(denial -> {
            assertThat(denial.principal()).isNull();
            assertThat(denial.peer()).isNotBlank();
            assertThat(denial.reason()).isEqualTo("no valid token");
        });
        assertThat(refusals(403)).anySatisfy(denial -> {
            assertThat(denial.principal()).isEqualTo(Callers.user(Roles.AUDITOR));
            assertThat(denial.reason()).isEqualTo("role");
        });
    }

    private static List<AccessDenial> refusals(int status) {
        return TopicReader.await(TopicCatalog.AUDIT_OPERATIONS, 1, r -> r.value() != null
                && ContractJson.read(r.value(), AccessDenial.class).status() == status).stream()
                .map(r -> ContractJson.read(r.value(), AccessDenial.class))
                .filter(denial -> denial.service().equals("metrics-ingest")).toList();
    }

    private static String sample(String node, String pool, Instant at) {
        return Samples.valid(node, at).put("region", REGION).put("zone", REGION + "-1a").put("pool", pool)
                .toString();
    }
}
