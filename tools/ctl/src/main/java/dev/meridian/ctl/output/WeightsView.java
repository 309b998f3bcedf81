package dev.meridian.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** {@code GET /v1/weights/{clientRegion}}: the version's region shares per tier, and what it excluded. */
public final class WeightsView {

    private WeightsView() {
    }

    public static void print(JsonNode weights, PrintWriter out) {
        out.println("client region " + Fields.text(weights, "clientRegion") + ", version "
                + Fields.text(weights, "version") + ", computed " + Fields.text(weights, "computedAt")
                + (Fields.flag(weights, "heartbeat") ? " (heartbeat)" : ""));
        Table tiers = new Table("TIER", "REGION", "WEIGHT", "ELIGIBLE", "LOAD", "LATENCY");
        for (JsonNode tier : Fields.elements(weights.get("tiers"))) {
            String name = Fields.text(tier, "tier");
            JsonNode regions = tier.get("regions");
            if (regions == null || !regions.isArray() || regions.isEmpty()) {
                tiers.row(name, "none eligible: " + Fields.text(tier, "noneEligibleReason"), null, null, null, null);
                continue;
            }
            for (JsonNode region : regions) {
                String latency = Fields.number(region, "latencyMs", 1);
                tiers.row(name, Fields.text(region, "region"), Fields.number(region, "weight", 2),
                        Fields.text(region, "eligibleNodes"), percent(Fields.number(region, "load", 0)),
                        latency == null ? null : latency + " ms");
            }
        }
        tiers.print(out, "no tiers");
        Table excluded = new Table("EXCLUDED", "TIER", "REASON", "DETAIL");
        for (JsonNode exclusion : Fields.elements(weights.get("excluded"))) {
            excluded.row(Fields.text(exclusion, "scope") + " " + Fields.text(exclusion, "target"),
                    Fields.text(exclusion, "tier"), Fields.text(exclusion, "reason"), Fields.text(exclusion, "detail"));
        }
        if (!excluded.isEmpty()) {
            out.println();
            excluded.print(out, "");
        }
    }

    private static String percent(String value) {
        return value == null ? null : value + " %";
    }
}
