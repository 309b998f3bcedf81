package dev.meridian.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/nodes}: one row per node, its state and whether it is cordoned or draining. */
public final class NodesView {

    private NodesView() {
    }

    public static void print(JsonNode nodes, PrintWriter out) {
        Table table = new Table("NODE", "REGION", "POOL", "STATE", "FLAGS");
        for (JsonNode node : Fields.elements(nodes)) {
            List<String> flags = new ArrayList<>();
            if (Fields.flag(node, "cordoned")) {
                flags.add("cordoned");
            }
            if (Fields.flag(node, "draining")) {
                flags.add("draining");
            }
            table.row(Fields.text(node, "nodeId"), Fields.text(node, "region"), Fields.text(node, "pool"),
                    Fields.text(node, "state"), flags.isEmpty() ? null : String.join(",", flags));
        }
        table.print(out, "no nodes");
    }
}
