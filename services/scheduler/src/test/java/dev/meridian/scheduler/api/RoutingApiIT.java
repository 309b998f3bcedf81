package dev.meridian.scheduler.api;

import static dev.meridian.testkit.security.Callers.as;
import static dev.meridian.testkit.security.Callers.everywhere;
import static dev.meridian.scheduler.Fleet.inventory;
import static dev.meridian.scheduler.Fleet.latency;
import static dev.meridian.scheduler.Fleet.node;
import static dev.meridian.scheduler.Fleet.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.service.problem.Problem;
import dev.meridian.scheduler.Broker;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.metrics.MetricCatalog;
import dev.meridian.testkit.metrics.StrictExposition;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The weights, route and EDS endpoints, fed through the real broker, called as a viewer of every region unless a test
 * is about who may call.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class RoutingApiIT {

    private static final String EDS_EU_WEST = "{\"node\":{\"id\":\"envoy-1\"},\"resource_names\":[\"eu-west/CORE_GPU\"],"
            + "\"type_url\":\"" + EnvoyEds.TYPE_URL + "\"}";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private Broker broker;
    private String node;

    @BeforeEach
    void fleet() {
        broker = new Broker(bootstrap);
        node = seed(broker);
    }

    /**
     * Four regions, pools in eu-west and eu-central and a new node of eu-west (the test profile's home region), once
     * eu-west's weights name the node: the node's id (DoorMatrixIT's fleet too).
     */
    static String seed(Broker broker) {
        broker.region("eu-west", "EU");
        broker.region("eu-central", "EU");
        broker.region("us-east", "US");
        broker.region("ap-south", "APAC");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        Instant now = Instant.now();
        String node = "api-" + UUID.randomUUID().toString().substring(0, 8);
        broker.send(latency("eu-west", "eu-west", 2, now), "eu-west/eu-west");
        broker.send(latency("eu-west", "eu-central", 20, now), "eu-west/eu-central");
        broker.send(pool("eu-west", "gpu", 2, 50, now), "eu-west/gpu");
        broker.send(pool("eu-central", "gpu", 4, 30, now), "eu-central/gpu");
        broker.send(node(node, "eu-west", "gpu", 40, now), node);
        broker.send(inventory(node, "eu-west", "gpu", NodeState.JOINED, now), node);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var response = reader().get("/v1/weights/eu-west");
            return response.statusCode() == 200 && response.body().asString().contains(node);
        });
        return node;
    }

    @AfterEach
    void close() {
        broker.close();
    }

    /** A viewer of every region: what the tests below that are not about access call as. */
    private static RequestSpecification reader() {
        return everywhere(Roles.VIEWER);
    }

    @Test
    void weightsOfAClientRegionAreTheLastPublishedVersion() {
        JsonPath weights = reader().get("/v1/weights/eu-west").then().statusCode(200)
                .body("clientRegion", equalTo("eu-west"))
                .extract().jsonPath();

        assertThat(weights.getLong("version")).isPositive();
        assertThat(weights.getList("tiers.find { it.tier == 'CORE_GPU' }.regions.region", String.class))
                .contains("eu-west", "eu-central");
    }

    @Test
    void routePicksOnlyWeightedServingRegionsAndHomeNodesInsideEuWest() {
        JsonPath weights = reader().get("/v1/weights/eu-west").then().statusCode(200).extract().jsonPath();
        long version = weights.getLong("version");
        List<String> weighted = weights.getList(
                "tiers.find { it.tier == 'CORE_GPU' }.regions.findAll { it.weight > 0 }.region", String.class);
        List<String> nodes = weights.getList(
                "tiers.find { it.tier == 'CORE_GPU' }.nodes.findAll { it.weight > 0 }.nodeId", String.class);
        assertThat(weighted).contains("eu-west", "eu-central").doesNotContain("us-east", "ap-south");

        // The distribution itself is RouteTableTest's; here: only weighted choices, and the published version.
        for (int i = 0; i < 30; i++) {
            JsonPath route = reader().queryParam("clientRegion", "eu-west").queryParam("tier", "CORE_GPU")
                    .get("/v1/route").then().statusCode(200).extract().jsonPath();
            String region = route.getString("region");
            assertThat(region).isIn(weighted);
            assertThat(route.getDouble("regionWeight")).isPositive();
            assertThat(route.getLong("version")).isGreaterThanOrEqualTo(version);
            if (region.equals("eu-central")) {
                assertThat(route.getString("node")).as("node weights only inside the home region").isNull();
            } else {
                assertThat(route.getString("node")).isIn(nodes);
            }
        }
    }

    @Test
    void envoyEdsAnswersAClusterLoadAssignmentPerRequestedCluster() {
        // As Envoy sends it: RestAssured would otherwise encode the colon of the gRPC-style path as %3A.
        JsonPath eds = reader().urlEncodingEnabled(false).contentType("application/json").body(EDS_EU_WEST)
                .post("/v3/discovery:endpoints").then().statusCode(200).extract().jsonPath();

        assertThat(eds.getString("type_url")).isEqualTo(EnvoyEds.TYPE_URL);
        assertThat(eds.getString("resources[0].cluster_name")).isEqualTo("eu-west/CORE_GPU");
        assertThat(eds.getList("resources[0].endpoints.locality.region", String.class))
                .contains("eu-west", "eu-central");
        assertThat(eds.getList("resources[0].endpoints.find { it.locality.region == 'eu-west' }"
                + ".lb_endpoints.endpoint.address.socket_address.address", String.class))
                .as("the default eds.node-format, unresolved in tests (eds.resolve=false)")
                .contains(node + ".eu-west.meridian.internal");
        reader().urlEncodingEnabled(false).contentType("application/json").body("{\"resource_names\":[\"mars-1/CORE_GPU\"]}")
                .post("/v3/discovery:endpoints").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void anUnknownTierIsABadRequestAsProblemJson() {
        reader().queryParam("clientRegion", "eu-west").queryParam("tier", "GPU").get("/v1/route")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo(Problem.INVALID_PARAMETER.toString()))
                .body("title", org.hamcrest.Matchers.equalTo("Invalid parameter: tier"));
        reader().get("/v1/route").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.equalTo(Problem.INVALID_PARAMETER.toString()))
                .body("title", org.hamcrest.Matchers.equalTo("Invalid parameter: clientRegion"));
    }

    @Test
    void unknownClientRegionIsNotFoundAsProblemJson() {
        reader().queryParam("clientRegion", "mars-1").queryParam("tier", "CORE_GPU").get("/v1/route")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemMapper.UNKNOWN_CLIENT_REGION.toString()))
                .body("detail", containsString("mars-1"));
        reader().get("/v1/weights/mars-1").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void clientWithNothingEligibleInItsZoneGetsServiceUnavailableWithTheReason() {
        // ap-south is APAC: every reporting region is outside its residency, and there is no fallback.
        await().atMost(Duration.ofSeconds(10)).until(() -> reader().get("/v1/weights/ap-south").statusCode() == 200);

        reader().queryParam("clientRegion", "ap-south").queryParam("tier", "CORE_GPU").get("/v1/route")
                .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemMapper.NONE_ELIGIBLE.toString()))
                .body("detail", containsString("OUTSIDE_RESIDENCY"));
    }

    @Test
    void aViewerOfEuWestReadsOnlyTheClientRegionEuWest() {
        // ap-south has weights (every region the registry knows is a client region): a 403 is not a hidden 404.
        await().atMost(Duration.ofSeconds(10)).until(() -> reader().get("/v1/weights/ap-south").statusCode() == 200);

        for (String other : List.of("ap-south", "ap-southeast")) {
            as(Roles.VIEWER, "eu-west").get("/v1/weights/" + other).then().statusCode(403)
                    .contentType(Problem.MEDIA_TYPE).body("detail", containsString(other));
            as(Roles.VIEWER, "eu-west").queryParam("clientRegion", other).queryParam("tier", "CORE_GPU")
                    .get("/v1/route").then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("detail", containsString(other));
        }

        as(Roles.VIEWER, "eu-west").get("/v1/weights/eu-west").then().statusCode(200)
                .body("clientRegion", equalTo("eu-west"));
        // The client region is what is checked: the route may lead to eu-central, as the residency allows.
        as(Roles.VIEWER, "eu-west").queryParam("clientRegion", "eu-west").queryParam("tier", "CORE_GPU")
                .get("/v1/route").then().statusCode(200);
        // Without a client region the answer is what it was: the parameter is missing.
        as(Roles.VIEWER, "eu-west").get("/v1/route").then().statusCode(400)
                .body("type", equalTo(Problem.INVALID_PARAMETER.toString()))
                .body("title", equalTo("Invalid parameter: clientRegion"));
    }

    @Test
    void edsRefusesARequestNamingAClusterOfAnotherRegion() {
        await().atMost(Duration.ofSeconds(10)).until(() -> reader().get("/v1/weights/ap-south").statusCode() == 200);

        as(Roles.VIEWER, "eu-west").urlEncodingEnabled(false).contentType("application/json").body(EDS_EU_WEST)
                .post("/v3/discovery:endpoints").then().statusCode(200)
                .body("resources.cluster_name", equalTo(List.of("eu-west/CORE_GPU")));
        // One cluster of a region the token does not hold refuses the whole request, the allowed one with it.
        for (String names : List.of("[\"ap-south/CORE_GPU\"]", "[\"eu-west/CORE_GPU\",\"ap-south/CORE_GPU\"]",
                "[\"ap-south/CORE_GPU\",\"eu-west/CORE_GPU\"]")) {
            as(Roles.VIEWER, "eu-west").urlEncodingEnabled(false).contentType("application/json")
                    .body("{\"resource_names\":" + names + ",\"type_url\":\"" + EnvoyEds.TYPE_URL + "\"}")
                    .post("/v3/discovery:endpoints").then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("detail", containsString("ap-south"));
        }
        // A viewer of both regions gets both clusters.
        as(Roles.VIEWER, "eu-west", "ap-south").urlEncodingEnabled(false).contentType("application/json")
                .body("{\"resource_names\":[\"eu-west/CORE_GPU\",\"ap-south/CORE_GPU\"]}")
                .post("/v3/discovery:endpoints").then().statusCode(200)
                .body("resources.cluster_name", equalTo(List.of("eu-west/CORE_GPU", "ap-south/CORE_GPU")));
    }

    @Test
    void readinessNamesFleetConfigAndMetricsCountPublishedVersions() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("fleet-config"));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("meridian_scheduler_weights_published_total{cause=\"FIRST\"");
        // deploy/'s alerts and dashboards name these (deploy/observability/metrics.txt).
        assertThat(MetricCatalog.missingFrom("scheduler", metrics)).isEmpty();
        // The whole page as strict scrapers (promtool check metrics, Telegraf) read it.
        assertThat(StrictExposition.problems(metrics)).isEmpty();
    }
}
