package dev.meridian.audit;

import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.cloudevents.AuthContext;
import dev.meridian.contracts.cloudevents.CloudEventAttributes;
import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.cost.AlertBasis;
import dev.meridian.contracts.cost.BudgetAlert;
import dev.meridian.contracts.cost.BudgetState;
import dev.meridian.contracts.cost.BudgetStatus;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.operator.ActionKind;
import dev.meridian.contracts.operator.ActionResult;
import dev.meridian.contracts.operator.OperatorAction;
import dev.meridian.contracts.routing.RoutingWeights;
import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.validation.Validated;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Operation events as the other services and the registry's connector write them, with their CloudEvents headers. */
public final class Events {

    private Events() {
    }

    /** One input record: topic, key, value, headers. */
    public record Input(String topic, String key, byte[] value, Headers headers, String ceId) {
        public ProducerRecord<String, byte[]> toProducerRecord() {
            return new ProducerRecord<>(topic, null, key, value, headers);
        }
    }

    public static Input contract(Validated value, String key, String region, Instant time) {
        return contract(value, key, region, time, UUID.randomUUID().toString());
    }

    public static Input contract(Validated value, String key, String region, Instant time, String ceId) {
        ContractType type = ContractType.of(value.getClass());
        Headers headers = new RecordHeaders();
        CloudEventHeaders.write(headers, new CloudEventAttributes(ceId, "/meridian/test", type.ceType(), time, region));
        return new Input(type.topic(), key, ContractJson.write(value), headers, ceId);
    }

    public static ScaleCommand scaleCommand(String region, String pool, ScaleAction action, Instant at) {
        boolean deferred = action == ScaleAction.DEFERRED;
        List<String> nodes = action == ScaleAction.DRAIN || action == ScaleAction.SCALE_IN || action == ScaleAction.REPLACE
                ? List.of(pool + "-node-1") : List.of();
        return new ScaleCommand(UUID.randomUUID().toString(), region, pool, action,
                deferred ? ScaleAction.SCALE_OUT : null, at, at, 4, 6, 2, "g5.xlarge", null, CapacityType.ON_DEMAND,
                Criticality.NORMAL, BudgetState.OK, false, nodes, "test");
    }

    public static Input scale(String region, String pool, ScaleAction action, Instant at) {
        return contract(scaleCommand(region, pool, action, at), region + "/" + pool, region, at);
    }

    /** A command the scaler issues to carry out an operator's action: {@code requestedBy} names the operator. */
    public static Input scaleRequestedBy(String region, String pool, ScaleAction action, String requestedBy,
            Instant at) {
        ScaleCommand own = scaleCommand(region, pool, action, at);
        ScaleCommand requested = new ScaleCommand(own.commandId(), region, pool, action, own.deferredAction(), at,
                null, own.currentNodes(), own.desiredNodes(), own.delta(), null, own.instanceType(), null,
                own.capacityType(), own.urgency(), own.budgetState(), false, own.nodes(), "operator action",
                requestedBy);
        return contract(requested, region + "/" + pool, region, at);
    }

    /** An operator's DRAIN of one node, as the API builds it ({@code actor}: the verified token's name). */
    public static OperatorAction drain(String region, String pool, String nodeId, String actor, Instant at) {
        return new OperatorAction(UUID.randomUUID().toString(), ActionKind.DRAIN, region, pool, nodeId, null, null,
                null, actor, "hardware ticket", at);
    }

    /** An operator's SCALE of a pool to {@code nodes} for an hour. */
    public static OperatorAction scaleTo(String region, String pool, int nodes, String actor, Instant at) {
        return new OperatorAction(UUID.randomUUID().toString(), ActionKind.SCALE, region, pool, null, nodes,
                at.plusSeconds(3600), null, actor, null, at);
    }

    /**
     * An action on {@code meridian.operator.actions.v1} as the scaler's API publishes it: key {@link
     * OperatorAction#key()}, {@code ce_id} the actionId, and the auth context naming {@code authenticated} (none when
     * null).
     */
    public static Input action(OperatorAction action, String authenticated) {
        Input input = contract(action, action.key(), action.region(), action.requestedAt(), action.actionId());
        if (authenticated != null) {
            AuthContext.user(authenticated).writeTo(input.headers());
        }
        return input;
    }

    /** A result on {@code meridian.operator.action-results.v1}, key actionId, with the given {@code ce_id}. */
    public static Input result(ActionResult result, String ceId) {
        return contract(result, result.action().actionId(), result.action().region(), result.decidedAt(), ceId);
    }

    public static Input weights(String clientRegion, long version, boolean heartbeat, Instant at) {
        return contract(new RoutingWeights(clientRegion, version, at, heartbeat, List.of(), List.of()), clientRegion,
                clientRegion, at);
    }

    public static Input budgetStatus(String scope, BudgetState state, Instant at) {
        return contract(new BudgetStatus(scope, "2026-11", new BigDecimal("1000"), new BigDecimal("500"), null, "USD",
                state, 50, List.of(), at), scope, null, at);
    }

    public static Input alert(String scope, int threshold, Instant at) {
        return contract(new BudgetAlert(BudgetAlert.idFor(scope, "2026-11", threshold), scope, "2026-11", threshold,
                AlertBasis.ACTUAL, BudgetState.WARN, new BigDecimal("800"), new BigDecimal("1000"), "USD", at), scope,
                null, at);
    }

    public static Input interruption(String region, String pool, String node, Instant at) {
        return contract(new Interruption(node, region, pool, at, at.plusSeconds(120), "aws-spot-itn"), node, region, at);
    }

    /**
     * A registry change as Debezium (JSON converter without schemas) and the registry's CloudEvents transform write
     * it: op c/u/d/t/r, a node_pools row image, the transaction id.
     */
    public static Input poolChange(String op, String region, String pool, String actor, long txId, Instant at) {
        return poolChange(op, region, pool, actor, null, txId, at);
    }

    /** {@link #poolChange(String, String, String, String, long, Instant)} with the row's {@code declared_by} (or null). */
    public static Input poolChange(String op, String region, String pool, String actor, String declaredBy, long txId,
            Instant at) {
        String row = "{\"region\":\"" + region + "\",\"name\":\"" + pool + "\",\"tier\":\"CORE_GPU\",\"min_size\":1,"
                + "\"max_size\":8,\"warm_size\":0,\"instance_types\":[\"g5.xlarge\"],\"capacity_type\":\"ON_DEMAND\","
                + "\"spot_fallback\":false,\"criticality\":\"NORMAL\",\"tags\":\"{}\",\"changed_by\":\"" + actor
                + "\",\"declared_by\":" + quoted(declaredBy) + ",\"changed_at\":\"" + at + "\"}";
        String before = "c".equals(op) || "t".equals(op) ? "null" : row;
        String after = "d".equals(op) || "t".equals(op) ? "null" : row;
        String value = "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"schema\":\"config\","
                + "\"table\":\"node_pools\",\"txId\":" + txId + ",\"lsn\":" + (txId * 100) + ",\"ts_ms\":"
                + at.toEpochMilli() + "},\"op\":\"" + op + "\",\"ts_ms\":" + at.toEpochMilli() + "}";
        String key = "t".equals(op) ? "{\"truncated_table\":\"config.node_pools\"}"
                : "{\"region\":\"" + region + "\",\"name\":\"" + pool + "\"}";
        return registry("node_pools", key, value, "t".equals(op) ? "global" : region, at);
    }

    /** The change_log entry the registry's statement trigger writes in the same transaction. */
    public static Input changeLog(long id, String table, String operation, String actor, long txId, Instant at) {
        return changeLog(id, table, operation, actor, null, txId, at);
    }

    /** {@link #changeLog(long, String, String, String, long, Instant)} with the entry's {@code declared_actor} (or null). */
    public static Input changeLog(long id, String table, String operation, String actor, String declaredActor,
            long txId, Instant at) {
        String value = "{\"before\":null,\"after\":{\"id\":" + id + ",\"transaction_id\":" + txId + ",\"table_name\":\""
                + table + "\",\"operation\":\"" + operation + "\",\"actor\":\"" + actor + "\",\"application_name\":null,"
                + "\"session_user_name\":\"" + actor + "\",\"declared_actor\":" + quoted(declaredActor)
                + ",\"logged_at\":\"" + at + "\"},\"source\":{\"schema\":\"config\","
                + "\"table\":\"change_log\",\"txId\":" + txId + ",\"lsn\":" + (txId * 100 + 1) + ",\"ts_ms\":"
                + at.toEpochMilli() + "},\"op\":\"c\",\"ts_ms\":" + at.toEpochMilli() + "}";
        return registry("change_log", "{\"id\":" + id + "}", value, "global", at);
    }

    private static String quoted(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    private static Input registry(String table, String key, String value, String subject, Instant at) {
        Headers headers = new RecordHeaders();
        String id = UUID.nameUUIDFromBytes((table + key + value).getBytes(StandardCharsets.UTF_8)).toString();
        CloudEventHeaders.write(headers, new CloudEventAttributes(id, "/meridian/registry",
                "dev.meridian.fleet.config." + table + ".v1", at, subject));
        return new Input(TopicCatalog.fleetConfigTopic(table), key, value.getBytes(StandardCharsets.UTF_8), headers, id);
    }
}
