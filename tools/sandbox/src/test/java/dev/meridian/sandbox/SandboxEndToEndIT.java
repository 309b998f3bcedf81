package dev.meridian.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.registry.config.Region;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole system as {@code ./meridian sandbox --secure} runs it — real broker, PostgreSQL, Connect with Debezium,
 * the five packaged services as child JVMs — driven through the registry and node samples only, the way a fleet would.
 * Secure as production is: every service logs in to Kafka as its own KafkaUser over SASL_SSL on a broker enforcing
 * deploy/'s ACLs, serves HTTPS only, and audit and Debezium reach a TLS-only PostgreSQL with verify-full; so the
 * scenario also proves the ACLs sufficient for everything the services do together. One scenario, because each step
 * needs the state the one before built up (and a sandbox start is the slow part).
 */
class SandboxEndToEndIT {

    private static final String US_EAST = "us-east";

    /** Under target/, not a temporary folder: the services' logs stay there when the test fails. */
    private static final Path dir = Path.of("target", "e2e-sandbox");

    private static Sandbox sandbox;
    private static FleetLoad load;
    private static TopicTail<ScaleCommand> commands;
    private static TopicTail<RoutingWeights> weights;
    private static TopicTail<BudgetStatus> budgetStatus;
    private static TopicTail<BudgetAlert> alerts;
    private static final List<ScaleCommand> allCommands = new ArrayList<>();
    private static final List<RoutingWeights> allWeights = new ArrayList<>();

    @BeforeAll
    static void startTheSandbox() throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent().getParent();
        deleteRecursively(dir);
        sandbox = Sandbox.start(new Sandbox.Options(dir, repository, FreePorts.range(SandboxServices.NAMES.size()),
                true, Duration.ofSeconds(180), true, true), Sandbox.Steps.SILENT);
        String bootstrap = sandbox.kafka().bootstrapServers();
        commands = new TopicTail<>(bootstrap, TopicCatalog.SCALING_COMMANDS,
                ContractSerdes.scaleCommand().deserializer(), 0);
        weights = new TopicTail<>(bootstrap, TopicCatalog.ROUTING_WEIGHTS,
                ContractSerdes.routingWeights().deserializer(), 0);
        budgetStatus = new TopicTail<>(bootstrap, TopicCatalog.COST_BUDGET_STATUS,
                ContractSerdes.budgetStatus().deserializer(), 0);
        alerts = new TopicTail<>(bootstrap, TopicCatalog.COST_ALERTS, ContractSerdes.budgetAlert().deserializer(), 100);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {load, commands, weights, budgetStatus, alerts, sandbox}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("while stopping " + closeable + ": " + e);
            }
        }
    }

    @Test
    void aBurstScalesItsRegionMovesWeightsInsideTheZoneAndABudgetCrossingDefersLowPriorityGrowth() throws Exception {
        // The operator's registry changes, through PostgreSQL and Debezium like any other: a tiny budget for the
        // research team (the LOW-criticality spot batch pool's tag), and both us-east GPU pools deciding after two
        // hot windows instead of three and six.
        try (Connection connection = sandbox.postgres().dataSource().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("SET meridian.actor = 'e2e-operator'");
            sql.executeUpdate("UPDATE config.budgets SET monthly_amount = 0.01 WHERE scope = 'team:research'");
            sql.executeUpdate("UPDATE config.policy_overrides SET sustain_windows = 2 "
                    + "WHERE region = 'us-east' AND pool = 'gpu-batch'");
            sql.executeUpdate("INSERT INTO config.policy_overrides (region, pool, sustain_windows) "
                    + "VALUES ('us-east', 'gpu-core', 2)");
        }
        load = new FleetLoad(sandbox.kafka().bootstrapServers(), sandbox.fleet()::current,
                Map.of("us-east/gpu-batch", 2), 30);

        // Before the burst both US regions serve us-east's GPU clients.
        double usWestShareBefore = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> share(latestTable(US_EAST, Tier.CORE_GPU), "us-west"),
                        share -> share.isPresent() && share.get() > 0 && share.get() < 1)
                .orElseThrow();

        // The batch pool's spot nodes accrue spend at a quiet 30 %: the research budget is soon exceeded.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            budgetStatus.poll(Duration.ofMillis(100));
            BudgetStatus research = budgetStatus.latest().get("team:research");
            return research != null && research.state() == BudgetState.EXCEEDED;
        });
        alerts.poll(Duration.ofMillis(500));
        assertThat(alerts.recent()).filteredOn(alert -> alert.scope().equals("team:research"))
                .extracting(BudgetAlert::thresholdPercent).contains(100);

        // The burst: every us-east GPU node at 97 %, above the saturation line and both pools' thresholds.
        load.setLoad(US_EAST, "gpu-core", 97);
        load.setLoad(US_EAST, "gpu-batch", 97);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            pollCommands();
            assertThat(allCommands).as("utilization-driven growth of us-east/gpu-core")
                    .anyMatch(c -> c.key().equals("us-east/gpu-core") && c.reason().startsWith("gpu ")
                            && (c.action() == ScaleAction.SCALE_OUT || c.action() == ScaleAction.ACTIVATE_WARM));
            assertThat(allCommands).as("the LOW batch pool's scale-out, deferred by the exceeded research budget")
                    .anyMatch(c -> c.key().equals("us-east/gpu-batch") && c.action() == ScaleAction.DEFERRED
                            && c.deferredAction() == ScaleAction.SCALE_OUT && c.budgetState() == BudgetState.EXCEEDED);
        });
        assertThat(allCommands).as("no growth of the batch pool got past the gate")
                .noneMatch(c -> c.key().equals("us-east/gpu-batch") && c.action() == ScaleAction.SCALE_OUT);
        assertThat(allCommands).as("no other region was hot")
                .filteredOn(c -> c.reason().startsWith("gpu ") || c.reason().startsWith("cpu "))
                .allMatch(c -> c.region().equals(US_EAST));

        // Saturated nodes are excluded at once: us-east's GPU clients move to us-west, the other US region.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> share(latestTable(US_EAST, Tier.CORE_GPU), "us-west"),
                        share -> share.isPresent() && share.get() > usWestShareBefore);

        // Residency, in every version every client region received.
        Map<String, String> zoneOf = sandbox.fleet().current().regions().stream()
                .collect(Collectors.toMap(Region::name, Region::zoneCode));
        assertThat(allWeights).isNotEmpty().allSatisfy(version -> version.tiers().forEach(table -> assertThat(
                table.regions()).extracting(RegionWeight::region)
                .allMatch(serving -> zoneOf.get(serving).equals(zoneOf.get(version.clientRegion())),
                        version.clientRegion() + " served inside its zone")));

        // The audit store holds every command, and us-east's chain verifies.
        Set<String> commandIds = allCommands.stream().map(ScaleCommand::commandId)
                .collect(Collectors.toCollection(TreeSet::new));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> storedAuditIds(commandIds).containsAll(commandIds));
        JsonNode report = verify(US_EAST);
        assertThat(report.path("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("checked").asLong()).isGreaterThanOrEqualTo(
                allCommands.stream().filter(c -> c.region().equals(US_EAST)).count());

        // An operator of us-east drains one of its CPU edge nodes (its GPU pool is saturated by now, out of routing as
        // a whole whatever an operator does): the scaler takes it up, the next routing version leaves the node out,
        // and the audit records the drain under the operator; the same operator's drain in eu-west is refused and
        // the refusal is recorded in eu-west's chain.
        String operator = sandbox.keys().token("e2e-operator", "operator", List.of(US_EAST), Duration.ofMinutes(5));
        String node = call("GET", "scaler", "/v1/nodes?region=us-east&pool=cpu-edge", operator, null)
                .findValuesAsText("nodeId").get(0);
        String action = call("POST", "scaler", "/v1/actions", operator, "{\"kind\":\"DRAIN\",\"region\":\"us-east\","
                + "\"pool\":\"cpu-edge\",\"nodeId\":\"" + node + "\",\"reason\":\"e2e\"}").path("actionId").asText();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                call("GET", "scaler", "/v1/actions/" + action, operator, null).path("status").asText(),
                "APPLIED"::equals);
        String viewer = sandbox.keys().token("e2e-viewer", "viewer", List.of("*"), Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode table = call("GET", "scheduler", "/v1/weights/" + US_EAST, viewer, null);
            return !table.path("tiers").toString().contains("\"" + node + "\"")
                    && table.path("excluded").findValuesAsText("target").contains(node);
        });
        String auditor = sandbox.keys().token("e2e-auditor", "auditor", List.of(US_EAST, "eu-west"),
                Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                call("GET", "audit", "/v1/audit/events?region=us-east&action=operator.drain&actor=e2e-operator",
                        auditor, null).toString().contains(node));
        HttpResponse<String> refused = send("POST", "scaler", "/v1/actions", operator, "{\"kind\":\"DRAIN\","
                + "\"region\":\"eu-west\",\"pool\":\"gpu-core\",\"nodeId\":\"eu-west-gpu-core-0001\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                call("GET", "audit", "/v1/audit/events?region=eu-west&action=access.denied&actor=e2e-operator",
                        auditor, null).toString().contains("POST /v1/actions"));

        // All of it over production's transport: the audit writer's and Debezium's sessions are TLS 1.3, and the
        // API answers no plain HTTP.
        assertThat(tlsOfSessions("application_name = 'meridian-audit-writer' OR backend_type = 'walsender'"))
                .isNotEmpty().containsOnly("true TLSv1.3");
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + sandbox.port("cost") + "/v1/budgets")).build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(IOException.class);
        assertThat(sandbox.services()).allMatch(ServiceProcess::isAlive);
    }

    /** "ssl version" of each PostgreSQL session matching {@code where} (over pg_stat_activity). */
    private static List<String> tlsOfSessions(String where) throws SQLException {
        List<String> sessions = new ArrayList<>();
        try (Connection connection = sandbox.postgres().dataSource().getConnection();
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("SELECT s.ssl, s.version FROM pg_stat_activity a JOIN pg_stat_ssl s"
                        + " ON s.pid = a.pid WHERE " + where)) {
            while (rows.next()) {
                sessions.add(rows.getBoolean(1) + " " + rows.getString(2));
            }
        }
        return sessions;
    }

    /** A call with a bearer token that must succeed (2xx); its JSON answer. */
    private static JsonNode call(String method, String service, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, service, path, token, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return ContractJson.mapper().readTree(response.body());
    }

    private static HttpResponse<String> send(String method, String service, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(sandbox.uri(service, path))
                .header("Authorization", "Bearer " + token);
        request = body == null ? request.GET()
                : request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(body));
        return sandbox.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void pollCommands() {
        allCommands.addAll(commands.poll(Duration.ofMillis(200)));
    }

    private static Optional<TierTable> latestTable(String client, Tier tier) {
        allWeights.addAll(weights.poll(Duration.ofMillis(200)));
        RoutingWeights latest = weights.latest().get(client);
        return latest == null ? Optional.empty() : latest.table(tier);
    }

    private static Optional<Double> share(Optional<TierTable> table, String region) {
        if (table.isEmpty() || table.get().regions().isEmpty()) {
            return Optional.empty();
        }
        double total = table.get().regions().stream().mapToDouble(RegionWeight::weight).sum();
        double mine = table.get().regions().stream().filter(r -> r.region().equals(region))
                .mapToDouble(RegionWeight::weight).sum();
        return Optional.of(mine / total);
    }

    private static Set<String> storedAuditIds(Set<String> ids) throws SQLException {
        try (Connection connection = sandbox.postgres().dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT id FROM audit.events WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("text", ids.toArray());
            query.setArray(1, array);
            Set<String> stored = new TreeSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
            return stored;
        }
    }

    private static JsonNode verify(String region) throws IOException, InterruptedException {
        String token = sandbox.keys().token("e2e-auditor", "auditor", List.of(region), Duration.ofMinutes(5));
        HttpResponse<String> response = sandbox.http().send(HttpRequest.newBuilder(
                        sandbox.uri("audit", "/v1/audit/verify?region=" + region))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ContractJson.mapper().readTree(response.body());
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var paths = Files.walk(path)) {
                for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(each);
                }
            }
        }
    }
}
