package dev.meridian.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.NodeMetric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Agents' samples as they reach {@code meridian.metrics.raw.v1}: one per node in turn, keyed by nodeId, and 1 % invalid
 * — gpuUtil 150 (parses, fails validation) or memUtil missing (fails parsing) — which must end on the DLQ.
 *
 * <p>Each node's JSON is written once with a placeholder timestamp, and a sample is that JSON with its timestamp
 * spliced in: a paced producer then keeps up with the topology on the same two cores, and the bytes are exactly what
 * {@link ContractJson} writes.
 */
final class SampleFeed {

    private static final String[] REGIONS = {"us-east", "us-west", "eu-west", "eu-central", "ap-southeast"};
    private static final String PLACEHOLDER = Instant.EPOCH.toString();
    /** One sample in this many is invalid. */
    private static final int INVALID_EVERY = 100;

    private final NodeMetric[] nodes;
    private final byte[][] keys;
    private final byte[][] beforeStamp;
    private final byte[][] afterStamp;
    private long next;

    /** The next sample: its node's key, the bytes, and whether it is valid. */
    record Sample(byte[] key, byte[] value, boolean valid) {
    }

    SampleFeed(int nodeCount) {
        SplittableRandom random = new SplittableRandom(7);
        nodes = new NodeMetric[nodeCount];
        keys = new byte[nodeCount][];
        beforeStamp = new byte[nodeCount][];
        afterStamp = new byte[nodeCount][];
        for (int node = 0; node < nodeCount; node++) {
            String region = REGIONS[node % REGIONS.length];
            String nodeId = region + "-node-" + node;
            nodes[node] = new NodeMetric(nodeId, region, region + "-a", "gpu-core", Tier.CORE_GPU, "p5.48xlarge",
                    CapacityType.ON_DEMAND, Instant.EPOCH, 8, random.nextDouble(100), random.nextLong(80_000), 80_000,
                    random.nextDouble(100), random.nextDouble(100), 1e6, 2e6, null, null);
            keys[node] = nodeId.getBytes(StandardCharsets.UTF_8);
            String json = ContractJson.writeString(nodes[node]);
            int at = json.indexOf(PLACEHOLDER);
            beforeStamp[node] = json.substring(0, at).getBytes(StandardCharsets.UTF_8);
            afterStamp[node] = json.substring(at + PLACEHOLDER.length()).getBytes(StandardCharsets.UTF_8);
        }
    }

    int nodeCount() {
        return nodes.length;
    }

    /**
     * The next node's sample stamped {@code stamp}. Invalid in round {@code r} for the nodes {@code n} with
     * {@code (r + n) % 100 == 0}: 1 % of every round, and of every node's samples over 100 rounds.
     */
    Sample next(Instant stamp) {
        int node = (int) (next % nodes.length);
        long round = next / nodes.length;
        next++;
        if ((round + node) % INVALID_EVERY != 0) {
            return new Sample(keys[node], valid(node, stamp), true);
        }
        return new Sample(keys[node], node % 2 == 0 ? gpuUtilOutOfRange(node, stamp) : memUtilMissing(node, stamp),
                false);
    }

    private byte[] valid(int node, Instant stamp) {
        byte[] before = beforeStamp[node];
        byte[] after = afterStamp[node];
        byte[] time = stamp.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] json = new byte[before.length + time.length + after.length];
        System.arraycopy(before, 0, json, 0, before.length);
        System.arraycopy(time, 0, json, before.length, time.length);
        System.arraycopy(after, 0, json, before.length + time.length, after.length);
        return json;
    }

    private byte[] gpuUtilOutOfRange(int node, Instant stamp) {
        ObjectNode json = tree(node, stamp);
        json.put("gpuUtil", 150.0);
        return bytes(json);
    }

    private byte[] memUtilMissing(int node, Instant stamp) {
        ObjectNode json = tree(node, stamp);
        json.remove("memUtil");
        return bytes(json);
    }

    private ObjectNode tree(int node, Instant stamp) {
        try {
            return (ObjectNode) ContractJson.mapper().readTree(valid(node, stamp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return ContractJson.mapper().writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
