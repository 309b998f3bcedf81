package dev.meridian.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.scheduler.Broker;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.security.DoorMatrix;
import dev.meridian.testkit.security.DoorMatrix.Scope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every door of the scheduler × every role × a token of the region, of another region and of every region × every
 * kind of bad token, generated from the service's OpenAPI document (see {@link DoorMatrix}).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class DoorMatrixIT {

    /** The test profile's home region ({@code meridian.scheduler.home-regions}): weighed node by node. */
    private static final String REGION = "eu-west";
    /** A client region with weights of its own: its callers' 403 is not a hidden 404. */
    private static final String OTHER = "ap-south";
    private static final Set<String> READERS = Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyDoorAnswersEachRoleAndRegionAsItsRuleSays() {
        // RoutingApiIT's fleet: REGION's weights name a node only this test made, shown to REGION's readers only.
        String node;
        try (Broker broker = new Broker(bootstrap)) {
            node = RoutingApiIT.seed(broker);
        }

        int requests = new DoorMatrix(REGION, OTHER)
                .rule("GET /v1/weights/{clientRegion}", READERS, Scope.NAMED, 200, node,
                        (caller, region) -> caller.get("/v1/weights/" + region))
                // A route picks a region and maybe a node by chance; what only a route holds is its region's weight.
                .rule("GET /v1/route", READERS, Scope.NAMED, 200, "\"regionWeight\"",
                        (caller, region) -> caller.queryParam("clientRegion", region).queryParam("tier", "CORE_GPU")
                                .get("/v1/route"))
                // As Envoy sends it: RestAssured would otherwise encode the colon of the path as %3A.
                .rule("POST /v3/discovery:endpoints", READERS, Scope.NAMED, 200, node,
                        (caller, region) -> caller.urlEncodingEnabled(false).contentType("application/json")
                                .body("{\"node\":{\"id\":\"envoy-1\"},\"resource_names\":[\"" + region
                                        + "/CORE_GPU\"],\"type_url\":\"" + EnvoyEds.TYPE_URL + "\"}")
                                .post("/v3/discovery:endpoints"))
                .assertAll();

        assertThat(requests).as("the matrix really ran").isGreaterThan(60);
    }
}
