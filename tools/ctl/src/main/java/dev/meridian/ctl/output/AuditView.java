package dev.meridian.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** {@code GET /v1/audit/events}: a row per record, newest first, and the cursor of the next page when there is one. */
public final class AuditView {

    private AuditView() {
    }

    public static void print(JsonNode page, PrintWriter out) {
        JsonNode items = page.isArray() ? page : page.get("items");
        Table table = new Table("TIME", "REGION", "SEQ", "ACTOR", "ACTION", "RESOURCE");
        for (JsonNode record : Fields.elements(items)) {
            table.row(Fields.text(record, "time"), Fields.text(record, "region"), Fields.text(record, "sequence"),
                    Fields.text(record, "actor"), Fields.text(record, "action"), Fields.text(record, "resource"));
        }
        table.print(out, "no audit records");
        String next = page.isObject() ? Fields.text(page, "nextCursor") : null;
        if (next != null) {
            out.println("more: add --cursor " + next);
        }
    }
}
