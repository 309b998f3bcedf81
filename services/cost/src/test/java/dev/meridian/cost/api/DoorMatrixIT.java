package dev.meridian.cost.api;

import static dev.meridian.testkit.security.Callers.everywhere;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.cost.Broker;
import dev.meridian.service.security.Roles;
import dev.meridian.testkit.quarkus.KafkaTestResource;
import dev.meridian.testkit.quarkus.Management;
import dev.meridian.testkit.security.DoorMatrix;
import dev.meridian.testkit.security.DoorMatrix.Scope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every door of the cost service × every role × a token of the region, of another region and of every region ×
 * every kind of bad token, generated from the service's OpenAPI document (see {@link DoorMatrix}).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class DoorMatrixIT {

    /** The test profile's home region ({@code meridian.cost.home-regions}), and a region priced elsewhere. */
    private static final String REGION = "it-home";
    private static final String OTHER = "it-other";
    private static final Set<String> READERS = Set.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyDoorAnswersEachRoleAndRegionAsItsRuleSays() {
        String team = "matrix-" + UUID.randomUUID().toString().substring(0, 8);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        // REGION's budget and an hour of its spend by a team only this test names: what the reads must show
        // REGION's readers and no one else.
        try (Broker broker = new Broker(bootstrap)) {
            broker.region(REGION, "US");
            broker.regionBudget(REGION, CostServiceIT.AMPLE);
            SpendAggregate spend = CostServiceIT.spend(REGION, hour, team, "1.500000000");
            broker.send(spend.id(), spend);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
                costs(everywhere(Roles.VIEWER), hour).asString().contains(team)
                        && everywhere(Roles.VIEWER).get("/v1/budgets/region:" + REGION).statusCode() == 200);

        int requests = new DoorMatrix(REGION, OTHER)
                // The store is read for the caller's regions only: another region's reader gets its own rows.
                .rule("GET /v1/costs", READERS, Scope.FILTERED, 200, team, (caller, region) -> costs(caller, hour))
                // Only the region:<r> scopes of the caller's regions (global and tag scopes add up several regions).
                .rule("GET /v1/budgets", READERS, Scope.FILTERED, 200, "region:" + REGION,
                        (caller, region) -> caller.get("/v1/budgets"))
                // The scope is in the request itself; what only its status holds is its share of the budget.
                .rule("GET /v1/budgets/{scope}", READERS, Scope.BY_ID, 200, "\"percentOfBudget\"",
                        (caller, region) -> caller.get("/v1/budgets/region:" + region))
                .assertAll();

        assertThat(requests).as("the matrix really ran").isGreaterThan(60);
    }

    /** The hour's spend by team: the test's team is in the answer as data only, never in the request. */
    private static Response costs(RequestSpecification caller, Instant hour) {
        return caller.queryParam("from", hour.toString()).queryParam("to", hour.plus(1, ChronoUnit.HOURS).toString())
                .queryParam("groupBy", "team").queryParam("step", "1h").get("/v1/costs");
    }
}
