package dev.meridian.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code GET /v1/costs}: a row per period and group (a column per group key), then the totals per currency. */
public final class CostsView {

    private CostsView() {
    }

    public static void print(JsonNode report, PrintWriter out) {
        List<String> keys = groupKeys(report);
        List<String> headers = new ArrayList<>();
        headers.add("PERIOD");
        keys.forEach(k -> headers.add(k.toUpperCase(Locale.ROOT)));
        headers.addAll(List.of("CURRENCY", "COST", "NODE-HOURS", "IDLE", "SPOT-SAVINGS"));
        Table table = new Table(headers);
        for (JsonNode row : Fields.elements(report.get("rows"))) {
            List<Object> cells = new ArrayList<>();
            cells.add(Fields.text(row, "period"));
            JsonNode group = row.path("group");
            keys.forEach(k -> cells.add(Fields.text(group, k)));
            cells.add(Fields.text(row, "currency"));
            cells.add(Fields.text(row, "cost"));
            cells.add(nodeHours(row));
            cells.add(Fields.text(row, "idleCost"));
            cells.add(Fields.text(row, "spotSavings"));
            table.row(cells.toArray());
        }
        table.print(out, "no costs from " + Fields.text(report, "from") + " to " + Fields.text(report, "to"));
        JsonNode totals = report.get("totals");
        if (totals != null && totals.isObject()) {
            for (Map.Entry<String, JsonNode> total : totals.properties()) {
                out.println("total " + total.getKey() + " " + total.getValue().asText());
            }
        }
    }

    /** The report's {@code groupBy}, else every key its rows' groups use. */
    private static List<String> groupKeys(JsonNode report) {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode key : Fields.elements(report.get("groupBy"))) {
            keys.add(key.asText());
        }
        if (keys.isEmpty()) {
            for (JsonNode row : Fields.elements(report.get("rows"))) {
                row.path("group").properties().forEach(field -> keys.add(field.getKey()));
            }
        }
        return List.copyOf(keys);
    }

    private static String nodeHours(JsonNode row) {
        JsonNode seconds = row.get("nodeSeconds");
        return seconds == null || !seconds.isNumber() ? null
                : String.format(Locale.ROOT, "%.2f", seconds.asDouble() / 3600);
    }
}
