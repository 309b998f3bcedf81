package dev.meridian.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operator actions as the scaler answers them ({@code actionId}, {@code status}, {@code reason} of a rejection,
 * {@code action}, {@code decidedAt}): a table of several, or one in detail.
 */
public final class ActionsView {

    private ActionsView() {
    }

    public static void printList(JsonNode results, PrintWriter out) {
        Table table = new Table("ACTION", "STATUS", "KIND", "TARGET", "WHAT", "ACTOR", "REQUESTED", "NOTE");
        for (JsonNode result : Fields.elements(results)) {
            JsonNode action = action(result);
            table.row(Fields.text(result, "actionId"), Fields.text(result, "status"), Fields.text(action, "kind"),
                    target(action), what(action), Fields.text(action, "actor"), Fields.text(action, "requestedAt"),
                    note(result, action));
        }
        table.print(out, "no actions");
    }

    /** One action, a line per field that is there: {@code status     APPLIED}. */
    public static void printOne(JsonNode result, PrintWriter out) {
        JsonNode action = action(result);
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("action", Fields.text(result, "actionId"));
        lines.put("status", Fields.text(result, "status"));
        if ("REJECTED".equals(Fields.text(result, "status"))) {
            lines.put("rejected", Fields.text(result, "reason"));
        }
        lines.put("kind", Fields.text(action, "kind"));
        lines.put("target", target(action));
        lines.put("nodes", Fields.text(action, "nodes"));
        lines.put("until", Fields.text(action, "until"));
        lines.put("override", override(action));
        lines.put("reason", Fields.text(action, "reason"));
        lines.put("actor", Fields.text(action, "actor"));
        lines.put("requested", Fields.text(action, "requestedAt"));
        lines.put("decided", Fields.text(result, "decidedAt"));
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        lines.forEach((label, value) -> {
            boolean always = label.equals("action") || label.equals("status") || label.equals("kind");
            if (value != null || always) {
                out.println(String.format("%-" + width + "s  %s", label, value == null ? "-" : value));
            }
        });
    }

    /** {@code region/pool}, and {@code /nodeId} for an action on a node. */
    static String target(JsonNode action) {
        if (Fields.text(action, "region") == null && Fields.text(action, "pool") == null) {
            return null;
        }
        String pool = Fields.text(action, "region") + "/" + Fields.text(action, "pool");
        String node = Fields.text(action, "nodeId");
        return node == null ? pool : pool + "/" + node;
    }

    /** What the action asks: {@code 5 nodes until …}, {@code until …}, the override's settings. */
    static String what(JsonNode action) {
        List<String> parts = new ArrayList<>();
        String nodes = Fields.text(action, "nodes");
        if (nodes != null) {
            parts.add(nodes + " nodes");
        }
        String override = override(action);
        if (override != null) {
            parts.add(override);
        }
        String until = Fields.text(action, "until");
        if (until != null) {
            parts.add("until " + until);
        }
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    /** The override's settings that are set, {@code scaleOutUtilization=85.0 minNodes=2}; null without one. */
    static String override(JsonNode action) {
        JsonNode override = action.get("override");
        if (override == null || !override.isObject()) {
            return null;
        }
        List<String> set = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : override.properties()) {
            if (!field.getValue().isNull()) {
                set.add(field.getKey() + "=" + field.getValue().asText());
            }
        }
        return set.isEmpty() ? null : String.join(" ", set);
    }

    private static String note(JsonNode result, JsonNode action) {
        if ("REJECTED".equals(Fields.text(result, "status"))) {
            return "rejected: " + Fields.text(result, "reason");
        }
        return Fields.text(action, "reason");
    }

    private static JsonNode action(JsonNode result) {
        JsonNode action = result.get("action");
        return action == null || !action.isObject() ? MissingNode.getInstance() : action;
    }
}
