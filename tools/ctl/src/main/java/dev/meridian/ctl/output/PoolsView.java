package dev.meridian.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/pools}: one row per pool, its bounds and how it is being sized now. Renders what is there: the
 * operator's holds as flat fields ({@code paused}, {@code manualSize}, {@code overrideUntil}) or as a {@code holds}
 * object ({@code scale}, {@code pause}, {@code override}, each with its {@code until}); one {@code instanceType} or a
 * list of {@code instanceTypes}.
 */
public final class PoolsView {

    private PoolsView() {
    }

    public static void print(JsonNode pools, PrintWriter out) {
        Table table = new Table("REGION", "POOL", "TIER", "NODES", "MIN", "MAX", "INSTANCE", "CAPACITY", "SIZING");
        for (JsonNode pool : Fields.elements(pools)) {
            table.row(Fields.text(pool, "region"), Fields.text(pool, "pool"), Fields.text(pool, "tier"),
                    Fields.text(pool, "nodes"), Fields.text(pool, "minNodes"), Fields.text(pool, "maxNodes"),
                    instance(pool), Fields.text(pool, "capacityType"), sizing(pool));
        }
        table.print(out, "no pools");
    }

    private static String instance(JsonNode pool) {
        String one = Fields.text(pool, "instanceType");
        if (one != null) {
            return one;
        }
        List<String> types = new ArrayList<>();
        Fields.elements(pool.get("instanceTypes")).forEach(type -> types.add(type.asText()));
        return types.isEmpty() ? null : String.join(",", types);
    }

    /** {@code auto}, or what holds it: {@code paused}, {@code manual 5 until …}, {@code override until …}. */
    static String sizing(JsonNode pool) {
        List<String> held = new ArrayList<>();
        JsonNode holds = pool.path("holds");
        JsonNode pause = holds.path("pause");
        if (Fields.flag(pool, "paused") || pause.isObject()) {
            held.add(until("paused", pause));
        }
        JsonNode scale = holds.path("scale");
        String manual = scale.isObject() ? Fields.text(scale, "nodes") : Fields.text(pool, "manualSize");
        if (manual != null) {
            held.add(until("manual " + manual, scale));
        }
        JsonNode override = holds.path("override");
        String overrideUntil = override.isObject() ? Fields.text(override, "until") : Fields.text(pool, "overrideUntil");
        if (overrideUntil != null || override.isObject()) {
            held.add(overrideUntil == null ? "override" : "override until " + overrideUntil);
        }
        return held.isEmpty() ? "auto" : String.join(", ", held);
    }

    private static String until(String what, JsonNode hold) {
        String until = hold.isObject() ? Fields.text(hold, "until") : null;
        return until == null ? what : what + " until " + until;
    }
}
