package dev.meridian.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.audit.AccessDenial;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;

/**
 * Turns one record of an operation topic into what the audit records: who did what to which resource, in which
 * region. Stateless; the few decisions that need memory (did the budget state change, who ran this delete) are
 * returned as {@link Mapped.Kind}s for {@code streams.OperationProcessor}.
 */
public final class OperationMapper {

    /** {@code ce_type} of what the audit publishes about itself on {@code meridian.audit.operations.v1}. */
    public static final String OPERATION_TYPE = "dev.meridian.audit.operation.v1";
    /** Actor of a registry delete or truncate whose change_log entry never arrived. */
    public static final String UNATTRIBUTED = "unattributed";

    private final String homeRegion;

    public OperationMapper(String homeRegion) {
        this.homeRegion = homeRegion;
    }

    public Mapped map(String topic, Headers headers, byte[] value, long timestamp) {
        if (value == null) {
            // Tombstones of compacted topics: the delete they follow was recorded already.
            return Mapped.drop("tombstone");
        }
        try {
            Optional<CloudEventAttributes> ce = CloudEventHeaders.read(headers);
            if (topic.startsWith(TopicCatalog.FLEET_CONFIG_PREFIX)) {
                return registry(topic, ce, value, timestamp);
            }
            if (ce.isEmpty()) {
                return Mapped.drop("no CloudEvents headers");
            }
            CloudEventAttributes event = ce.get();
            return switch (topic) {
                case TopicCatalog.SCALING_COMMANDS -> scaleCommand(event, value);
                case TopicCatalog.ROUTING_WEIGHTS -> weights(event, value);
                case TopicCatalog.COST_BUDGET_STATUS -> budgetStatus(event, value);
                case TopicCatalog.COST_ALERTS -> budgetAlert(event, value);
                case TopicCatalog.FLEET_INTERRUPTIONS -> interruption(event, headers, value);
                // Exact names only: a MirrorMaker copy (<source>.meridian.operator.actions.v1) is recorded by the
                // audit of the cluster the original was published in, never again here (it falls to the default).
                case TopicCatalog.OPERATOR_ACTIONS -> operatorAction(event, headers, value);
                case TopicCatalog.OPERATOR_ACTION_RESULTS -> actionResult(event, headers, value);
                case TopicCatalog.AUDIT_OPERATIONS -> AccessDenial.TYPE.equals(event.type())
                        ? accessDenial(event, value) : own(value);
                default -> Mapped.drop("not an operation topic: " + topic);
            };
        } catch (RuntimeException | IOException e) {
            return Mapped.drop("unreadable: " + e.getMessage());
        }
    }

    /**
     * A command the scaler carries out for an operator (a manual scale, a drain) names that operator
     * ({@code requestedBy}, the action's authenticated actor) as its actor; the scaler's own decisions name the
     * publishing service.
     */
    private Mapped scaleCommand(CloudEventAttributes ce, byte[] value) throws IOException {
        ScaleCommand command = ContractJson.read(value, ScaleCommand.class);
        String actor = command.requestedBy() != null && !command.requestedBy().isBlank() ? command.requestedBy()
                : ce.source();
        return Mapped.operation(new Operation(ce.id(), time(ce, command.issuedAt()), command.region(), actor,
                "scale." + command.action().name().toLowerCase(Locale.ROOT), "pool:" + command.key(), ce.source(),
                ce.type(), tree(value)));
    }

    /**
     * An operator's action, in the chain of the region it acts on: {@code operator.<kind>} on {@code pool:region/pool}
     * or {@code node:region/pool/nodeId}. The actor is the operator the API authenticated (the CloudEvents auth
     * context), else the action's own {@code actor}, which the API also takes from the verified token.
     */
    private Mapped operatorAction(CloudEventAttributes ce, Headers headers, byte[] value) throws IOException {
        OperatorAction action = ContractJson.read(value, OperatorAction.class);
        return Mapped.operation(new Operation(ce.id(), time(ce, action.requestedAt()), action.region(),
                operator(headers, action), actionName(action), actionResource(action), ce.source(), ce.type(),
                tree(value)));
    }

    /**
     * What the scaler made of an action: {@code operator.<kind>.applied} or {@code .rejected} (the reason is in the
     * payload), with the action's actor and resource, in the action's region's chain. The action is published with
     * its actionId as {@code ce_id}; a result that reuses it gets {@code <actionId>/<status>} as its id, so the
     * chainer's de-duplication (same {@code ce_id} in a region) never takes it for a redelivered action.
     */
    private Mapped actionResult(CloudEventAttributes ce, Headers headers, byte[] value) throws IOException {
        ActionResult result = ContractJson.read(value, ActionResult.class);
        OperatorAction action = result.action();
        String status = result.status().name().toLowerCase(Locale.ROOT);
        String id = ce.id().equals(action.actionId()) ? ce.id() + "/" + status : ce.id();
        return Mapped.operation(new Operation(id, time(ce, result.decidedAt()), action.region(),
                operator(headers, action), actionName(action) + "." + status, actionResource(action), ce.source(),
                ce.type(), tree(value)));
    }

    private static String operator(Headers headers, OperatorAction action) {
        return AuthContext.readFrom(headers).map(AuthContext::id).orElse(action.actor());
    }

    private static String actionName(OperatorAction action) {
        return "operator." + action.kind().name().toLowerCase(Locale.ROOT);
    }

    private static String actionResource(OperatorAction action) {
        String pool = action.region() + "/" + action.pool();
        return action.kind().onNode() ? "node:" + pool + "/" + action.nodeId() : "pool:" + pool;
    }

    private Mapped weights(CloudEventAttributes ce, byte[] value) throws IOException {
        RoutingWeights weights = ContractJson.read(value, RoutingWeights.class);
        if (weights.heartbeat()) {
            // A heartbeat republishes an unchanged version to show liveness: not a decision, not an operation.
            return Mapped.drop("routing heartbeat");
        }
        return Mapped.operation(new Operation(ce.id(), time(ce, weights.computedAt()), weights.clientRegion(),
                ce.source(), "routing.weights", "routing:" + weights.clientRegion() + "@" + weights.version(),
                ce.source(), ce.type(), tree(value)));
    }

    private Mapped budgetStatus(CloudEventAttributes ce, byte[] value) throws IOException {
        BudgetStatus status = ContractJson.read(value, BudgetStatus.class);
        Operation operation = new Operation(ce.id(), time(ce, status.updatedAt()), scopeRegion(status.scope(), ce),
                ce.source(), "budget.state", "budget:" + status.scope(), ce.source(), ce.type(), tree(value));
        return new Mapped(Mapped.Kind.BUDGET_STATE, operation, status.scope(), status.state().name());
    }

    private Mapped budgetAlert(CloudEventAttributes ce, byte[] value) throws IOException {
        BudgetAlert alert = ContractJson.read(value, BudgetAlert.class);
        return Mapped.operation(new Operation(ce.id(), time(ce, alert.raisedAt()), scopeRegion(alert.scope(), ce),
                ce.source(), "budget.alert", "budget:" + alert.scope() + "/" + alert.thresholdPercent(), ce.source(),
                ce.type(), tree(value)));
    }

    /**
     * The actor is who submitted the notice as the door authenticated them (the CloudEvents auth context), else the
     * service that published it; the notice's own {@code source} is what the sender says of itself, kept in the
     * payload as a detail.
     */
    private Mapped interruption(CloudEventAttributes ce, Headers headers, byte[] value) throws IOException {
        Interruption notice = ContractJson.read(value, Interruption.class);
        String actor = AuthContext.readFrom(headers).map(AuthContext::id).orElse(ce.source());
        return Mapped.operation(new Operation(ce.id(), time(ce, notice.noticeAt()), notice.region(), actor,
                "fleet.interruption", "node:" + notice.region() + "/" + notice.pool() + "/" + notice.nodeId(),
                ce.source(), ce.type(), tree(value)));
    }

    /**
     * A request a service refused: the actor is the refused principal as its token named it, or {@code anonymous}
     * (the peer address is in the payload); the chain is the region the request named, else the service's.
     */
    private Mapped accessDenial(CloudEventAttributes ce, byte[] value) throws IOException {
        AccessDenial denial = ContractJson.read(value, AccessDenial.class);
        return Mapped.operation(new Operation(ce.id(), time(ce, denial.at()), denial.region(), denial.actor(),
                "access.denied", "door:" + denial.service() + " " + denial.door(), ce.source(), ce.type(),
                tree(value)));
    }

    private static Mapped own(byte[] value) throws IOException {
        return Mapped.operation(ContractJson.mapper().readValue(value, Operation.class));
    }

    /**
     * A Debezium change event (JSON converter without schemas): {@code before}, {@code after}, {@code source} with
     * {@code table} and {@code txId}, {@code op} c/u/d/t/r.
     */
    private Mapped registry(String topic, Optional<CloudEventAttributes> ce, byte[] value, long timestamp)
            throws IOException {
        JsonNode envelope = ContractJson.mapper().readTree(value);
        JsonNode source = envelope.path("source");
        String op = envelope.path("op").asText("");
        String table = source.path("table").asText(topic.substring(TopicCatalog.FLEET_CONFIG_PREFIX.length()));
        String txId = source.path("txId").asText("");
        if (op.isEmpty()) {
            return Mapped.drop("not a change event");
        }
        if ("r".equals(op)) {
            // Snapshot reads replay rows that already exist when a connector starts: state, not a change anybody made.
            return Mapped.drop("snapshot read");
        }
        JsonNode after = envelope.path("after");
        if ("change_log".equals(table)) {
            if (!"c".equals(op)) {
                // Only the entry a statement's trigger wrote names its transaction's login; an edited or removed
                // entry would name whoever edited it, or nobody.
                return Mapped.drop("change_log " + op + " is not a statement");
            }
            return new Mapped(Mapped.Kind.REGISTRY_STATEMENT, null, txId, after.path("actor").asText(UNATTRIBUTED),
                    declared(after, "declared_actor"));
        }
        String action = switch (op) {
            case "c" -> "registry.insert";
            case "u" -> "registry.update";
            case "d" -> "registry.delete";
            case "t" -> "registry.truncate";
            default -> null;
        };
        if (action == null) {
            return Mapped.drop("unknown registry operation " + op);
        }
        JsonNode row = after.isObject() ? after : envelope.path("before");
        String region = ce.map(CloudEventAttributes::subject).filter(s -> !s.isBlank())
                .orElse(row.path("region").asText(""));
        if (region.isBlank() || "global".equals(region)) {
            region = homeRegion;
        }
        Instant time = ce.map(CloudEventAttributes::time).orElse(null);
        if (time == null) {
            long millis = source.path("ts_ms").asLong(timestamp);
            time = Instant.ofEpochMilli(millis);
        }
        String id = ce.map(CloudEventAttributes::id)
                .orElse(UUID.nameUUIDFromBytes((topic + "|" + source.path("lsn").asText() + "|" + txId + "|" + op)
                        .getBytes(StandardCharsets.UTF_8)).toString());
        String eventSource = ce.map(CloudEventAttributes::source).orElse("/meridian/registry");
        String type = ce.map(CloudEventAttributes::type).orElse("dev.meridian.fleet.config." + table + ".v1");
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("table", table);
        payload.put("op", op);
        payload.put("txId", txId);
        payload.set("before", envelope.path("before").isObject() ? envelope.get("before") : null);
        payload.set("after", after.isObject() ? after : null);
        String resource = "config." + table + ("t".equals(op) ? "" : ":" + rowKey(table, row));
        Operation operation = new Operation(id, time, region, null, action, resource, eventSource, type, payload);
        if ("d".equals(op) || "t".equals(op)) {
            // Neither carries who did it: the change_log entry of the same transaction does (see libs/registry).
            return new Mapped(Mapped.Kind.REGISTRY_AWAITING_ACTOR, operation, txId, null);
        }
        // The actor is the login the registry stamped (changed_by); the name the client declared is a detail.
        return Mapped.operation(operation.attributedTo(after.path("changed_by").asText(UNATTRIBUTED),
                declared(after, "declared_by")));
    }

    /** The name the client declared ({@code declared_by} of a row, {@code declared_actor} of the change log), or null. */
    private static String declared(JsonNode row, String field) {
        JsonNode value = row.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String rowKey(String table, JsonNode row) {
        return switch (table) {
            case "regions" -> row.path("name").asText();
            case "region_allow_list" -> row.path("client_region").asText() + "->" + row.path("serving_region").asText();
            case "node_pools" -> row.path("region").asText() + "/" + row.path("name").asText();
            case "prices" -> row.path("region").asText() + "/" + row.path("instance_type").asText() + "/"
                    + row.path("capacity_type").asText() + "@" + row.path("effective_from").asText();
            case "budgets" -> row.path("scope").asText();
            case "policy_overrides" -> row.path("region").asText() + "/" + row.path("pool").asText();
            default -> row.toString();
        };
    }

    private String scopeRegion(String scope, CloudEventAttributes ce) {
        if (scope.startsWith("region:")) {
            return scope.substring("region:".length());
        }
        return ce.subject() == null || ce.subject().isBlank() || "global".equals(ce.subject()) ? homeRegion
                : ce.subject();
    }

    private static Instant time(CloudEventAttributes ce, Instant fallback) {
        return ce.time() != null ? ce.time() : fallback;
    }

    private static JsonNode tree(byte[] value) throws IOException {
        return ContractJson.mapper().readTree(value);
    }
}
