package dev.meridian.cost.api;

import static dev.meridian.testkit.security.Callers.as;
import static dev.meridian.testkit.security.Callers.bearer;
import static dev.meridian.testkit.security.Callers.everywhere;
import static dev.meridian.cost.Fixtures.node;
import static dev.meridian.cost.Fixtures.scaleIn;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.AlertBasis;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.cost.SpendAggregate;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeState;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.cost.Broker;
import dev.meridian.service.registry.RegistryView;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.service.problem.Problem;
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
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service on a real broker: registry rows (as Debezium writes them), inventory and a scale command in → spend,
 * budget status and alerts out, and the REST API over them, called as a viewer of every region unless a test is about
 * who may call. On-demand costs 3.6000 $/h = 0.001 $/s; the forecast is off in the test profile, so states follow
 * spend alone.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class,
        initArgs = @ResourceArg(name = KafkaTestResource.KAFKA_USER_ARG, value = "meridian-cost"))
class CostServiceIT {

    /** The service's own login ({@code meridian-cost}), as its hand-built clients use it. */
    @Inject
    KafkaClientSettings serviceLogin;

    @Test
    void itsLoginIsRefusedWhatOtherServicesDo() {
        Map<String, Object> login = serviceLogin.connection();
        assertThat(login).containsEntry("security.protocol", "SASL_SSL");

        // Least privilege, and the probe itself sound: what it must do is allowed.
        assertThat(AclProbe.surprises(login,
                List.of(TopicCatalog.SCALING_COMMANDS, TopicCatalog.ROUTING_WEIGHTS),
                List.of(TopicCatalog.AUDIT_LOG, TopicCatalog.METRICS_RAW), TopicCatalog.SCALING_COMMANDS)).isEmpty();
    }

    private static final String HOME = "it-home";
    /** A region priced elsewhere: its spend arrives on the spend topic as a mirror would bring it. */
    private static final String OTHER = "it-other";
    /** Large enough that no test's spend raises an alert on these scopes (DoorMatrixIT's too). */
    static final String AMPLE = "1000000";

    @ConfigProperty(name = KafkaTestResource.TEST_CLIENTS_BOOTSTRAP)
    String bootstrap;

    @Inject
    RegistryView registry;

    private Broker broker;

    @BeforeEach
    void registry() {
        broker = new Broker(bootstrap);
        broker.region(HOME, "US");
        broker.price(HOME, "ON_DEMAND", "3.6000");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    /** A viewer of every region: what the tests that are not about access call as. */
    private static RequestSpecification reader() {
        return everywhere(Roles.VIEWER);
    }

    @Test
    void inventoryAndCommandsBecomeSpendBudgetStatusAndAlerts() {
        String team = "t" + UUID.randomUUID().toString().substring(0, 8);
        String pool = "p-" + team;
        String scope = "team:" + team;
        broker.pool(HOME, pool, "ON_DEMAND", "{\"team\":\"" + team + "\"}");
        broker.budget(scope, "team", team, "0.10");
        await().atMost(Duration.ofSeconds(30)).until(() -> reader().get("/v1/budgets/" + scope).statusCode() == 200);
        // Each registry table is its own topic, read in whichever order the fetches return: the budget being there
        // says nothing about the pool's tags or the price, and nodes accrued before them are not the team's.
        await("the pool's tags and the price are in the service's registry").atMost(Duration.ofSeconds(30))
                .until(() -> {
                    FleetSnapshot snapshot = registry.current();
                    return snapshot.pool(HOME, pool).map(p -> team.equals(p.tags().get("team"))).orElse(false)
                            && snapshot.isKnownRegion(HOME)
                            && snapshot.prices().stream().anyMatch(p -> p.region().equals(HOME));
                });

        // Both nodes end 25 s after the records are sent (and joined before they were): had they ended in the past, a
        // wall-clock accrual tick between a JOINED and its end would charge up to now, cross 90/95/100 % for a moment
        // before the end takes the overcharge back, and raise those alerts for good (see CostTopologyTest's two tick
        // tests). The same happens when the service takes the records up only after their end: on a loaded 2-core
        // machine a 10 s margin was not always enough (0.100185 charged instead of 0.08).
        Instant end = Instant.now().plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
        String a = pool + "-a";
        String b = pool + "-b";
        // a leaves after 50 s (ingest), b is removed by the scaler after 30 s
        broker.send(a, node(a, HOME, pool, CapacityType.ON_DEMAND, NodeState.JOINED, end.minusSeconds(50)));
        broker.send(b, node(b, HOME, pool, CapacityType.ON_DEMAND, NodeState.JOINED, end.minusSeconds(30)));
        broker.send(a, node(a, HOME, pool, CapacityType.ON_DEMAND, NodeState.LEFT, end));
        broker.send(HOME + "/" + pool, scaleIn(HOME, pool, end, b));

        try (Broker.Reader<SpendAggregate> spend = broker.reader(TopicCatalog.COST_SPEND,
                ContractSerdes.spendAggregate().deserializer());
                Broker.Reader<BudgetStatus> statuses = broker.reader(TopicCatalog.COST_BUDGET_STATUS,
                        ContractSerdes.budgetStatus().deserializer());
                Broker.Reader<BudgetAlert> alerts = broker.reader(TopicCatalog.COST_ALERTS,
                        ContractSerdes.budgetAlert().deserializer())) {
            // (50 s + 30 s) × 0.001 $/s = 0.08, in one or (across an hour boundary) two hourly aggregates
            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertThat(teamSpend(spend, team)).isEqualByComparingTo("0.08"));
            ConsumerRecord<String, byte[]> record = spend.records().stream()
                    .filter(r -> r.key().contains("team=" + team)).reduce((x, y) -> y).orElseThrow();
            CloudEventAttributes ce = CloudEventHeaders.read(record.headers()).orElseThrow();
            assertThat(ce.type()).isEqualTo(ContractType.SPEND_AGGREGATE.ceType());
            assertThat(ce.subject()).isEqualTo(HOME);

            // 0.08 of 0.10 = 80 %: WARN, alerts at 50 and 80, each once (it holds for a few evaluations)
            BudgetStatus status = await().atMost(Duration.ofSeconds(30)).until(
                    () -> statuses.latestBy(BudgetStatus::scope).get(scope),
                    s -> s != null && s.state() == BudgetState.WARN && s.spent().compareTo(new BigDecimal("0.08")) == 0);
            assertThat(status.thresholdsCrossed()).containsExactly(50, 80);
            assertThat(status.forecast()).isNull();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(
                    () -> alerts.poll().stream().filter(x -> x.scope().equals(scope)).count() == 2);
            assertThat(alerts.poll()).filteredOn(x -> x.scope().equals(scope))
                    .extracting(BudgetAlert::thresholdPercent, BudgetAlert::basis)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(50, AlertBasis.ACTUAL),
                            org.assertj.core.groups.Tuple.tuple(80, AlertBasis.ACTUAL));
            String scrape = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
            // Spend, status, alerts, inventory all happened: every metric deploy/ names for cost (metrics.txt) exists.
            assertThat(MetricCatalog.missingFrom("cost", scrape)).isEmpty();
            // The whole page as strict scrapers (promtool check metrics, Telegraf) read it.
            assertThat(StrictExposition.problems(scrape)).isEmpty();
        }

        reader().get("/v1/budgets/" + scope).then().statusCode(200)
                .body("state", equalTo("WARN"))
                .body("spent", equalTo("0.080000000"))
                .body("budget", equalTo("0.10"))
                .body("thresholdsCrossed", equalTo(List.of(50, 80)));
        assertThat(reader().get("/v1/budgets").then().statusCode(200).extract().jsonPath().getList("scope"))
                .contains(scope);

        String from = end.minusSeconds(50).truncatedTo(ChronoUnit.HOURS).toString();
        String to = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS).toString();
        Response json = reader().queryParam("from", from).queryParam("to", to).queryParam("groupBy", "team,region")
                .queryParam("step", "1mo").get("/v1/costs");
        json.then().statusCode(200).contentType(containsString("application/json"));
        List<Map<String, Object>> rows = json.jsonPath().getList("rows.findAll { it.group.team == '" + team + "' }");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(new BigDecimal((String) row.get("cost"))).isEqualByComparingTo("0.08");
            assertThat(row.get("nodeSeconds")).isEqualTo(80);
            assertThat(row.get("group")).isEqualTo(Map.of("team", team, "region", HOME));
        });

        String csv = reader().accept("text/csv").queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "team").queryParam("step", "1mo").get("/v1/costs")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).isEqualTo("periodStart,period,team,currency,cost,nodeSeconds,idleCost,spotSavings");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("," + team + ",USD,0.080000000,80,"));
    }

    @Test
    void badParametersAreAnsweredWithProblemJson() {
        String problem = "application/problem+json";
        reader().queryParam("groupBy", "region,colour").get("/v1/costs").then().statusCode(400)
                .contentType(containsString(problem))
                .body("type", equalTo("urn:meridian:problem:invalid-parameter"))
                .body("detail", containsString("colour"));
        reader().queryParam("from", "2026-11-10").queryParam("to", "2026-11-01").get("/v1/costs").then()
                .statusCode(400).contentType(containsString(problem)).body("detail", containsString("after"));
        reader().queryParam("from", "2025-01-01").queryParam("to", "2026-02-02").get("/v1/costs").then()
                .statusCode(400).contentType(containsString(problem)).body("detail", containsString("13 months"));
        reader().queryParam("step", "5m").get("/v1/costs").then().statusCode(400)
                .contentType(containsString(problem)).body("title", containsString("step"));
        reader().queryParam("from", "yesterday").get("/v1/costs").then().statusCode(400)
                .contentType(containsString(problem));
        reader().get("/v1/budgets/team:nobody").then().statusCode(404).contentType(containsString(problem));
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        Management.given().get("/q/health/live").then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItems("fleet-config"));
        broker.send("it-metrics", node("it-metrics", HOME, "metrics", CapacityType.ON_DEMAND, NodeState.JOINED,
                Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Management.given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("meridian_cost_spend_published_total"))
                .body(containsString("meridian_cost_inventory_applied_total"))
                .body(containsString("meridian_cost_accrual_tick_cpu_seconds")));
        // The API port serves the API and its description (no token), not health and metrics.
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/costs"))
                .body(containsString("/v1/budgets/{scope}"));
        assertThat(given().get("/q/metrics").statusCode()).as("/q/metrics on the API port").isNotEqualTo(200);
        assertThat(given().get("/q/health/ready").statusCode()).as("/q/health on the API port").isNotEqualTo(200);
    }

    /** Who may pass each door, per role and region, is DoorMatrixIT's; a token of no region is not in its matrix. */
    @Test
    void aReaderOfNoRegionHasNoCostsToRead() {
        bearer(TestTokens.token("nobody", Roles.VIEWER, List.of())).get("/v1/costs").then().statusCode(403)
                .contentType(containsString(Problem.MEDIA_TYPE));
    }

    @Test
    void aViewerOfOneRegionGetsNoOtherRegionsCosts() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String homeTeam = "h" + suffix;
        String otherTeam = "o" + suffix;
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        SpendAggregate homeSpend = spend(HOME, hour, homeTeam, "1.500000000");
        SpendAggregate otherSpend = spend(OTHER, hour, otherTeam, "2.500000000");
        broker.send(homeSpend.id(), homeSpend);
        broker.send(otherSpend.id(), otherSpend);
        String from = hour.toString();
        String to = hour.plus(1, ChronoUnit.HOURS).toString();
        // Both regions' lines are in the store: a reader of every region sees both teams.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reader().queryParam("from", from)
                .queryParam("to", to).queryParam("groupBy", "team,region").queryParam("step", "1h").get("/v1/costs")
                .then().statusCode(200).extract().jsonPath().getList("rows.group.team"))
                .contains(homeTeam, otherTeam));

        JsonPath home = as(Roles.VIEWER, HOME).queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "team,region").queryParam("step", "1h").get("/v1/costs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(home.getList("rows.group.region")).isNotEmpty().containsOnly(HOME);
        assertThat(home.getList("rows.group.team")).contains(homeTeam).doesNotContain(otherTeam);
        List<Map<String, Object>> homeRows = home.getList("rows.findAll { it.group.team == '" + homeTeam + "' }");
        assertThat(homeRows).singleElement()
                .satisfies(row -> assertThat(new BigDecimal((String) row.get("cost"))).isEqualByComparingTo("1.5"));

        // Not grouped by region either: the other region's spend is in no row and no total.
        JsonPath ungrouped = as(Roles.OPERATOR, HOME).queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "team").queryParam("step", "1mo").get("/v1/costs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(ungrouped.getList("rows.group.team")).contains(homeTeam).doesNotContain(otherTeam);
        BigDecimal rows = ungrouped.getList("rows.cost", String.class).stream().map(BigDecimal::new)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(new BigDecimal(ungrouped.getString("totals.USD"))).isEqualByComparingTo(rows);
        String csv = as(Roles.VIEWER, HOME).accept("text/csv").queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "region,team").queryParam("step", "1h").get("/v1/costs")
                .then().statusCode(200).extract().asString();
        assertThat(csv).contains(homeTeam).doesNotContain(otherTeam).doesNotContain(OTHER);

        // And the other way round.
        JsonPath other = as(Roles.VIEWER, OTHER).queryParam("from", from).queryParam("to", to)
                .queryParam("groupBy", "team,region").queryParam("step", "1h").get("/v1/costs")
                .then().statusCode(200).extract().jsonPath();
        assertThat(other.getList("rows.group.region")).containsOnly(OTHER);
        assertThat(other.getList("rows.group.team")).containsExactly(otherTeam);
    }

    @Test
    void aViewerOfOneRegionSeesOnlyItsRegionsBudgetAndOthersAreUnknownToIt() {
        String team = "b" + UUID.randomUUID().toString().substring(0, 8);
        broker.budget("global", null, null, AMPLE);
        broker.budget("team:" + team, "team", team, AMPLE);
        broker.regionBudget(HOME, AMPLE);
        broker.regionBudget(OTHER, AMPLE);
        List<String> hidden = List.of("global", "team:" + team, "region:" + OTHER);
        // Every one exists and is evaluated: a reader of every region gets each.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reader().get("/v1/budgets")
                .then().statusCode(200).extract().jsonPath().getList("scope", String.class))
                .contains("global", "team:" + team, "region:" + HOME, "region:" + OTHER));

        assertThat(as(Roles.VIEWER, HOME).get("/v1/budgets").then().statusCode(200).extract().jsonPath()
                .getList("scope", String.class)).containsExactly("region:" + HOME);
        as(Roles.VIEWER, HOME).get("/v1/budgets/region:" + HOME).then().statusCode(200)
                .body("scope", equalTo("region:" + HOME));

        // A scope it may not see is answered exactly as one without a budget: no sign that it exists.
        JsonPath unknown = notFound(as(Roles.VIEWER, HOME), "region:it-nowhere");
        for (String scope : hidden) {
            JsonPath refused = notFound(as(Roles.VIEWER, HOME), scope);
            assertThat(refused.getString("type")).isEqualTo(unknown.getString("type"));
            assertThat(refused.getString("title")).isEqualTo(unknown.getString("title"));
            assertThat(refused.getInt("status")).isEqualTo(unknown.getInt("status"));
            assertThat(refused.getString("detail").replace(scope, "<scope>"))
                    .isEqualTo(unknown.getString("detail").replace("region:it-nowhere", "<scope>"));
        }
        // A reader of every region is not limited to region scopes.
        reader().get("/v1/budgets/global").then().statusCode(200).body("scope", equalTo("global"));
    }

    private static JsonPath notFound(RequestSpecification request, String scope) {
        return request.get("/v1/budgets/" + scope).then().statusCode(404)
                .contentType(containsString(Problem.MEDIA_TYPE)).extract().jsonPath();
    }

    /** One hour's spend of a region and team, as the region's cost service publishes it (or a mirror brings it). */
    static SpendAggregate spend(String region, Instant hour, String team, String amount) {
        Map<String, String> tags = Map.of("team", team);
        return new SpendAggregate(SpendAggregate.key(region, hour, tags), region, hour, tags, new BigDecimal(amount),
                "USD", 1_500, Instant.now());
    }

    private static BigDecimal teamSpend(Broker.Reader<SpendAggregate> spend, String team) {
        return spend.latestBy(SpendAggregate::id).values().stream().filter(s -> team.equals(s.tags().get("team")))
                .map(SpendAggregate::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
