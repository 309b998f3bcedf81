package dev.meridian.ctl.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The body of the scaler's {@code POST /v1/actions}: every field is sent, null when it does not apply. The scaler adds
 * the id, the actor (from the token) and the time.
 *
 * @param kind SCALE, PAUSE, RESUME, OVERRIDE, CORDON, UNCORDON or DRAIN
 */
public record ActionRequest(String kind, String region, String pool, String nodeId, Integer nodes, Instant until,
        Override override, String reason) {

    /** An OVERRIDE's settings; a null keeps the pool's own. Utilizations in percent. */
    public record Override(Double scaleOutUtilization, Double scaleInUtilization, Double targetUtilization,
            Integer sustainWindows, Integer minNodes, Integer maxNodes) {

        public boolean isEmpty() {
            return scaleOutUtilization == null && scaleInUtilization == null && targetUtilization == null
                    && sustainWindows == null && minNodes == null && maxNodes == null;
        }

        ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("scaleOutUtilization", scaleOutUtilization);
            json.put("scaleInUtilization", scaleInUtilization);
            json.put("targetUtilization", targetUtilization);
            json.put("sustainWindows", sustainWindows);
            json.put("minNodes", minNodes);
            json.put("maxNodes", maxNodes);
            return json;
        }
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("kind", kind);
        json.put("region", region);
        json.put("pool", pool);
        json.put("nodeId", nodeId);
        json.put("nodes", nodes);
        json.put("until", until == null ? null : until.toString());
        if (override == null) {
            json.putNull("override");
        } else {
            json.set("override", override.toJson());
        }
        json.put("reason", reason);
        return json;
    }
}
