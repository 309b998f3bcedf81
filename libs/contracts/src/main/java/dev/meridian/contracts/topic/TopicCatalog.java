package dev.meridian.contracts.topic;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one place where Meridian's topics are named and described. Services, tests, the test kit and the
 * deploy/ checks all read this class; docs/architecture.md is checked against it by a test.
 */
public final class TopicCatalog {

    public static final String METRICS_RAW = "meridian.metrics.raw.v1";
    public static final String METRICS_NODE = "meridian.metrics.node.v1";
    public static final String METRICS_DLQ = "meridian.metrics.dlq.v1";
    public static final String UTILIZATION_NODE = "meridian.utilization.node.v1";
    public static final String UTILIZATION_POOL = "meridian.utilization.pool.v1";
    public static final String FLEET_NODES = "meridian.fleet.nodes.v1";
    public static final String LATENCY = "meridian.latency.v1";
    public static final String FLEET_INTERRUPTIONS = "meridian.fleet.interruptions.v1";
    public static final String ROUTING_WEIGHTS = "meridian.routing.weights.v1";
    public static final String SCALING_COMMANDS = "meridian.scaling.commands.v1";
    public static final String COST_SPEND = "meridian.cost.spend.v1";
    public static final String COST_BUDGET_STATUS = "meridian.cost.budget-status.v1";
    public static final String COST_ALERTS = "meridian.cost.alerts.v1";
    public static final String AUDIT_LOG = "meridian.audit.log.v1";
    /** Operators' actions on pools and nodes: one slot per pool and kind, one per node, so compaction keeps state. */
    public static final String OPERATOR_ACTIONS = "meridian.operator.actions.v1";
    /** What the scaler made of each action: applied, or rejected with the reason. */
    public static final String OPERATOR_ACTION_RESULTS = "meridian.operator.action-results.v1";
    /**
     * What the audit service records about itself (every search, export and verify, every retention run), for its
     * own chainer: the chain of a region has exactly one writer, so the service may not append to it directly.
     */
    public static final String AUDIT_OPERATIONS = "meridian.audit.operations.v1";

    /** Debezium writes table {@code config.<table>} to {@code meridian.fleet.config.<table>}. */
    public static final String FLEET_CONFIG_PREFIX = "meridian.fleet.config.";

    /**
     * The registry's tables, each captured to its own topic. Owned by libs/registry's migrations. change_log
     * names the actor of every statement, which deletes and truncates cannot carry in their own events.
     */
    public static final List<String> FLEET_CONFIG_TABLES = List.of(
            "regions", "region_allow_list", "node_pools", "prices", "budgets", "policy_overrides", "change_log");

    /** Audit must read every registry change (and every operator's action) before compaction may remove it. */
    public static final Duration FLEET_CONFIG_MIN_COMPACTION_LAG = Duration.ofDays(7);

    /** Three years of 365 days, as the retention policy fixes it: 94,608,000,000 ms. */
    public static final Duration AUDIT_RETENTION = Duration.ofDays(3 * 365);

    private static final List<TopicSpec> OPERATIONAL = List.of(
            delete(METRICS_RAW, "nodeId or null", "untrusted JSON written by agents", 12, Duration.ofHours(24), false),
            delete(METRICS_NODE, "nodeId", "NodeMetric", 12, Duration.ofHours(24), false),
            delete(METRICS_DLQ, "as received", "rejected bytes; reason, field and source in headers", 3,
                    Duration.ofDays(7), false),
            delete(UTILIZATION_NODE, "nodeId", "NodeUtilization", 12, Duration.ofDays(7), false),
            delete(UTILIZATION_POOL, "region/pool", "PoolUtilization", 6, Duration.ofDays(7), true),
            compact(FLEET_NODES, "nodeId", "FleetNode", 12, false),
            compact(LATENCY, "fromRegion/toRegion", "LatencyProbe", 3, true),
            delete(FLEET_INTERRUPTIONS, "nodeId", "Interruption", 3, Duration.ofDays(7), false),
            compact(ROUTING_WEIGHTS, "clientRegion", "RoutingWeights", 3, false),
            delete(SCALING_COMMANDS, "region/pool", "ScaleCommand", 6, Duration.ofDays(30), false),
            delete(COST_SPEND, "region/hour/tagset", "SpendAggregate", 3, Duration.ofDays(400), true),
            compact(COST_BUDGET_STATUS, "scope", "BudgetStatus", 3, false),
            delete(COST_ALERTS, "scope", "BudgetAlert", 3, Duration.ofDays(30), false),
            delete(AUDIT_LOG, "region", "AuditRecord", 6, AUDIT_RETENTION, false),
            // Kept in its region: a node is routed to by its own region's scheduler only (others route to the
            // region's entry point). Compaction waits as long as for the registry, so the audit reads every action.
            new TopicSpec(OPERATOR_ACTIONS, "region/pool/slot[/nodeId]", "OperatorAction", 6, Cleanup.COMPACT,
                    Optional.empty(), Optional.of(FLEET_CONFIG_MIN_COMPACTION_LAG), false),
            delete(OPERATOR_ACTION_RESULTS, "actionId", "ActionResult", 3, Duration.ofDays(30), false),
            delete(AUDIT_OPERATIONS, "region",
                    "AccessDenial (every service's refused requests), and audit's own reads and retention runs",
                    3, Duration.ofDays(7), false));

    private TopicCatalog() {
    }

    /** Every topic, operational ones first, then one per registry table. */
    public static List<TopicSpec> all() {
        return Stream.concat(OPERATIONAL.stream(), FLEET_CONFIG_TABLES.stream().map(TopicCatalog::fleetConfig))
                .toList();
    }

    public static Optional<TopicSpec> find(String name) {
        return all().stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    public static TopicSpec byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no topic named " + name + " in the catalog"));
    }

    public static String fleetConfigTopic(String table) {
        return FLEET_CONFIG_PREFIX + table;
    }

    private static TopicSpec fleetConfig(String table) {
        return new TopicSpec(fleetConfigTopic(table), "primary key", "Debezium change event", 1, Cleanup.COMPACT,
                Optional.empty(), Optional.of(FLEET_CONFIG_MIN_COMPACTION_LAG), true);
    }

    private static TopicSpec delete(String name, String key, String value, int partitions, Duration retention,
            boolean crossesRegions) {
        return new TopicSpec(name, key, value, partitions, Cleanup.DELETE, Optional.of(retention), Optional.empty(),
                crossesRegions);
    }

    private static TopicSpec compact(String name, String key, String value, int partitions, boolean crossesRegions) {
        return new TopicSpec(name, key, value, partitions, Cleanup.COMPACT, Optional.empty(), Optional.empty(),
                crossesRegions);
    }
}
