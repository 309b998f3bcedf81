package dev.meridian.ingest.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.json.ContractJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** NodeMetric JSON documents for tests, as an agent would write them, to be broken on purpose. */
public final class Samples {

    private Samples() {
    }

    public static ObjectNode valid(String nodeId, Instant timestamp) {
        ObjectNode doc = ContractJson.mapper().createObjectNode();
        doc.put("nodeId", nodeId);
        doc.put("region", "us-east");
        doc.put("zone", "us-east-1a");
        doc.put("pool", "llm-a100");
        doc.put("tier", "CORE_GPU");
        doc.put("instanceType", "p4d.24xlarge");
        doc.put("capacityType", "ON_DEMAND");
        doc.put("timestamp", timestamp.toString());
        doc.put("gpuCount", 8);
        doc.put("gpuUtil", 71.5);
        doc.put("gpuMemUsedMiB", 200_000);
        doc.put("gpuMemTotalMiB", 327_680);
        doc.put("cpuUtil", 35.0);
        doc.put("memUtil", 52.0);
        doc.put("netRxBytesPerSec", 1.2e6);
        doc.put("netTxBytesPerSec", 8.0e5);
        return doc;
    }

    public static byte[] bytes(ObjectNode doc) {
        return doc.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A document with NaN or Infinity as a bare token, as Python's json module writes them. */
    public static byte[] withBareNumber(ObjectNode doc, String field, String token) {
        doc.put(field, "__BARE__");
        return doc.toString().replace("\"__BARE__\"", token).getBytes(StandardCharsets.UTF_8);
    }
}
