package dev.meridian.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.fleetsim.kafka.SimulatorStats;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.json.ContractSerdes;
import dev.meridian.contracts.metrics.PoolUtilization;
import dev.meridian.contracts.routing.RegionWeight;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.routing.TierTable;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.topic.TopicSpec;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.Region;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The console view, redrawn every refresh: per region pool load and node counts, the routing weights of every client
 * region, the last scale commands with their reasons, spend against budgets, and the audit store with its chain
 * status. Plain text; the screen is cleared only when stdout is a terminal, so the same output reads well in a log.
 */
final class LiveView implements AutoCloseable {

    private static final String CLEAR = "\033[H\033[2J";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    /** Every verify is itself an audited read, so the view checks one region's chain at a time, not all each second. */
    private static final Duration VERIFY_EVERY = Duration.ofSeconds(10);

    private final PrintStream out;
    private final Sandbox sandbox;
    private final Admin admin;
    private final boolean terminal = System.console() != null;
    private final TopicTail<PoolUtilization> pools;
    private final TopicTail<RoutingWeights> weights;
    private final TopicTail<ScaleCommand> commands;
    private Map<String, BudgetStatus> budgets = Map.of();
    private final TopicTail<BudgetAlert> alerts;
    private final TopicTail<ActionResult> operatorActions;
    private final Map<ScaleAction, Long> actions = new EnumMap<>(ScaleAction.class);
    private final Map<String, String> chainStatus = new TreeMap<>();
    private final AuditKeys keys;
    private final Supplier<SimulatorStats> simulator;
    private Map<String, Long> lastCounts = Map.of();
    private long weightVersions;
    private long auditRows = -1;
    private Instant nextVerify = Instant.EPOCH;
    private final Instant started = Instant.now();
    private int verifyIndex;

    LiveView(PrintStream out, Sandbox sandbox, Supplier<SimulatorStats> simulator) {
        this.out = out;
        this.simulator = simulator;
        this.sandbox = sandbox;
        String bootstrap = sandbox.kafka().bootstrapServers();
        this.admin = sandbox.kafka().admin();
        this.pools = new TopicTail<>(bootstrap, TopicCatalog.UTILIZATION_POOL,
                ContractSerdes.poolUtilization().deserializer(), 0);
        this.weights = new TopicTail<>(bootstrap, TopicCatalog.ROUTING_WEIGHTS,
                ContractSerdes.routingWeights().deserializer(), 0);
        this.commands = new TopicTail<>(bootstrap, TopicCatalog.SCALING_COMMANDS,
                ContractSerdes.scaleCommand().deserializer(), 6);
        this.alerts = new TopicTail<>(bootstrap, TopicCatalog.COST_ALERTS,
                ContractSerdes.budgetAlert().deserializer(), 3);
        this.operatorActions = new TopicTail<>(bootstrap, TopicCatalog.OPERATOR_ACTION_RESULTS,
                ContractSerdes.actionResult().deserializer(), 5);
        this.keys = sandbox.keys();
    }

    void render() {
        refresh();
        FleetSnapshot snapshot = sandbox.fleet().current();
        StringBuilder view = new StringBuilder();
        if (terminal) {
            view.append(CLEAR);
        }
        view.append("── Meridian sandbox · ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(sandbox.fleet().isCaughtUp() ? " · registry caught up" : " · registry catching up")
                .append('\n');
        if (!sandbox.services().isEmpty()) {
            view.append("services  ").append(sandbox.services().stream().map(ServiceProcess::status)
                    .collect(Collectors.joining(", "))).append('\n');
        }
        SimulatorStats fleetSim = simulator.get();
        if (fleetSim != null) {
            view.append(String.format("fleet     %d nodes, %d being provisioned; demand %s tokens/s; %d samples, "
                            + "%d commands applied, %d spot notices%s%n", fleetSim.nodes(), fleetSim.pendingProvisions(),
                    fleetSim.demand().entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + " " + Math.round(e.getValue()))
                            .collect(Collectors.joining(", ")),
                    fleetSim.samplesSent(), fleetSim.commandsApplied(), fleetSim.interruptions(),
                    fleetSim.lastError() == null ? "" : "; last error: " + fleetSim.lastError()));
        }
        view.append("pools     region        zone  pool load (nodes/eligible/saturated)\n");
        for (Region region : snapshot.regions()) {
            String regionPools = snapshot.poolsIn(region.name()).stream()
                    .map(p -> describe(p.name(), p.minSize(), p.maxSize(),
                            pools.latest().get(region.name() + "/" + p.name())))
                    .collect(Collectors.joining("  "));
            view.append(String.format("          %-13s %-5s %s%n", region.name(),
                    region.zone().map(Enum::name).orElse("?"), regionPools));
        }
        view.append("routing   client        weights per tier (version)\n");
        weights.latest().forEach((client, table) -> view.append(String.format("          %-13s %s (v%d)%n", client,
                table.tiers().stream().map(LiveView::describe).collect(Collectors.joining("  ")), table.version())));
        view.append("scaling   ").append(actions.isEmpty() ? "no commands yet" : actions.toString()).append('\n');
        for (ScaleCommand command : commands.recent()) {
            view.append(String.format("          %s %s %s %d→%d (%s, budget %s) %s%n", CLOCK.format(command.issuedAt()),
                    command.key(), command.action() == ScaleAction.DEFERRED
                            ? "DEFERRED " + command.deferredAction() : command.action(),
                    command.currentNodes(), command.desiredNodes(), command.urgency(), command.budgetState(),
                    command.reason()));
        }
        view.append("operators ").append(operatorActions.recent().isEmpty() ? "no actions yet (./meridian ctl)" : "")
                .append('\n');
        for (ActionResult result : operatorActions.recent()) {
            OperatorAction action = result.action();
            view.append(String.format("          %s %s %s %s by %s: %s%s%n", CLOCK.format(result.decidedAt()),
                    action.kind(), action.key(), action.reason() == null ? "" : "(" + action.reason() + ")",
                    action.actor(), result.status(), result.reason() == null ? "" : " — " + result.reason()));
        }
        view.append("budgets   scope                 spent / budget        forecast      state\n");
        budgets.values().forEach(status -> view.append(String.format("          %-21s %s%n", status.scope(),
                String.format("%s / %s %s  %s  %s (%.1f %%)", status.spent().toPlainString(),
                        status.budget().toPlainString(), status.currency(),
                        status.forecast() == null ? "no forecast yet" : "forecast " + status.forecast().toPlainString(),
                        status.state(), status.percentOfBudget()))));
        for (BudgetAlert alert : alerts.recent()) {
            view.append(String.format("          alert %s: %d %% crossed (%s) at %s%n", alert.scope(),
                    alert.thresholdPercent(), alert.basis(), CLOCK.format(alert.raisedAt())));
        }
        view.append(String.format("audit     %s records stored; chain %s%n", auditRows < 0 ? "?" : auditRows,
                chainStatus.isEmpty() ? "not checked yet" : chainStatus));
        view.append("topics   ");
        lastCounts.forEach((topic, count) -> {
            if (count > 0) {
                view.append(' ').append(topic.replace("meridian.", "")).append('=').append(count);
            }
        });
        view.append('\n');
        out.print(view);
        out.flush();
    }

    private void refresh() {
        lastCounts = recordCounts();
        pools.poll(Duration.ofMillis(50));
        // Counted from this run's start: with kept data the topics also hold earlier runs.
        weightVersions += weights.poll(Duration.ofMillis(50), started).stream().filter(w -> !w.heartbeat()).count();
        commands.poll(Duration.ofMillis(50), started).forEach(c -> actions.merge(c.action(), 1L, Long::sum));
        budgets = budgets();
        alerts.poll(Duration.ofMillis(50));
        operatorActions.poll(Duration.ofMillis(50), started);
        auditRows = auditRows();
        if (!sandbox.services().isEmpty() && Instant.now().isAfter(nextVerify)) {
            verifyNextRegion();
        }
    }

    private static String describe(String pool, int min, int max, PoolUtilization window) {
        if (window == null) {
            return String.format("%s[%d..%d] –", pool, min, max);
        }
        return String.format("%s[%d..%d] %3.0f%% (%d/%d/%d)", pool, min, max, window.load(), window.nodeCount(),
                window.eligibleCount(), window.saturatedCount());
    }

    private static String describe(TierTable table) {
        if (table.regions().isEmpty()) {
            return table.tier() + ": none eligible (" + table.noneEligibleReason() + ")";
        }
        double total = table.regions().stream().mapToDouble(RegionWeight::weight).sum();
        return table.tier() + ": " + table.regions().stream()
                .sorted((a, b) -> Double.compare(b.weight(), a.weight()))
                .map(r -> String.format("%s %.2f", r.region(), total == 0 ? 0 : r.weight() / total))
                .collect(Collectors.joining(" · "));
    }

    /** A short-lived token of the view itself, signed afresh for each look: a long run never sends an old one. */
    private String bearer(String role) {
        return keys.token("sandbox-view", role, List.of("*"), Duration.ofMinutes(5));
    }

    /** Budget status as the cost service computes it now: the topic carries only changes of state. */
    private Map<String, BudgetStatus> budgets() {
        if (sandbox.services().isEmpty()) {
            return budgets;
        }
        HttpRequest request = HttpRequest.newBuilder(sandbox.uri("cost", "/v1/budgets")).header("Authorization", "Bearer " + bearer("viewer"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = sandbox.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return budgets;
            }
            Map<String, BudgetStatus> byScope = new TreeMap<>();
            for (BudgetStatus status : ContractJson.mapper().readValue(response.body(), BudgetStatus[].class)) {
                byScope.put(status.scope(), status);
            }
            return byScope;
        } catch (Exception stillStarting) {
            return budgets;
        }
    }

    private long auditRows() {
        try (Connection connection = sandbox.postgres().dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit.events WHERE kind = 'RECORD'")) {
            return rows.next() ? rows.getLong(1) : 0;
        } catch (SQLException notMigratedYet) {
            return -1;
        }
    }

    private void verifyNextRegion() {
        nextVerify = Instant.now().plus(VERIFY_EVERY);
        List<Region> regions = sandbox.fleet().current().regions();
        if (regions.isEmpty()) {
            return;
        }
        String region = regions.get(verifyIndex++ % regions.size()).name();
        chainStatus.put(region, verify(region));
    }

    /** "ok (42 checked)", "BROKEN at &lt;id&gt;: reason", or why it could not be checked. */
    String verify(String region) {
        HttpRequest request = HttpRequest.newBuilder(sandbox.uri("audit", "/v1/audit/verify?region=" + region))
                .header("Authorization", "Bearer " + bearer("auditor")).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = sandbox.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "unverified (HTTP " + response.statusCode() + ")";
            }
            JsonNode report = ContractJson.mapper().readTree(response.body());
            return report.path("ok").asBoolean()
                    ? "ok (" + report.path("checked").asLong() + " checked)"
                    : "BROKEN at " + report.path("broken").path("id").asText() + ": "
                            + report.path("broken").path("reason").asText();
        } catch (Exception e) {
            return "unverified (" + e.getClass().getSimpleName() + ")";
        }
    }

    String summary() {
        FleetSnapshot snapshot = sandbox.fleet().current();
        long records = lastCounts.values().stream().mapToLong(Long::longValue).sum();
        BudgetStatus global = budgets.get("global");
        String spend = global == null ? "no spend yet"
                : global.spent().toPlainString() + " " + global.currency() + " global spend (" + global.state() + ")";
        return String.format("%d regions, %d pools; this run: scale actions %s, %d routing weight versions; %s; "
                        + "%s audit records stored, chain %s; %d records on %d topics",
                snapshot.regions().size(), snapshot.pools().size(), actions.isEmpty() ? "none" : actions,
                weightVersions, spend, auditRows < 0 ? "?" : auditRows,
                chainStatus.isEmpty() ? "not checked" : chainStatus, records, lastCounts.size());
    }

    private Map<String, Long> recordCounts() {
        Map<TopicPartition, OffsetSpec> request = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (TopicSpec spec : TopicCatalog.all()) {
            for (int p = 0; p < spec.partitions(); p++) {
                request.put(new TopicPartition(spec.name(), p), OffsetSpec.latest());
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        try {
            admin.listOffsets(request).all().get(5, TimeUnit.SECONDS)
                    .forEach((tp, info) -> counts.merge(tp.topic(), info.offset(), Long::sum));
        } catch (Exception e) {
            return lastCounts;
        }
        return counts;
    }

    @Override
    public void close() {
        for (AutoCloseable tail : List.<AutoCloseable>of(pools, weights, commands, alerts, operatorActions)) {
            try {
                tail.close();
            } catch (Exception ignored) {
                // Closing a consumer of a stopping broker: nothing left to do.
            }
        }
    }
}
