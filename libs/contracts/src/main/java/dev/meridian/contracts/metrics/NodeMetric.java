package dev.meridian.contracts.metrics;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeRef;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One sample from a node agent: what {@code meridian.metrics.node.v1} carries once ingest has validated it.
 * Utilizations are percentages (0..100); GPU memory is summed over the node's GPUs.
 *
 * @param timestamp   sender's wall-clock time of the sample
 * @param gpuCount    0 on CPU-only nodes
 * @param queueDepth  requests waiting in the inference server; absent when the server does not report it
 * @param kvCacheUtil KV-cache occupancy in percent; absent when the server does not report it
 */
public record NodeMetric(
        @JsonProperty(required = true) String nodeId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String zone,
        @JsonProperty(required = true) String pool,
        @JsonProperty(required = true) Tier tier,
        @JsonProperty(required = true) String instanceType,
        @JsonProperty(required = true) CapacityType capacityType,
        @JsonProperty(required = true) Instant timestamp,
        @JsonProperty(required = true) int gpuCount,
        @JsonProperty(required = true) double gpuUtil,
        @JsonProperty(required = true) long gpuMemUsedMiB,
        @JsonProperty(required = true) long gpuMemTotalMiB,
        @JsonProperty(required = true) double cpuUtil,
        @JsonProperty(required = true) double memUtil,
        @JsonProperty(required = true) double netRxBytesPerSec,
        @JsonProperty(required = true) double netTxBytesPerSec,
        Double queueDepth,
        Double kvCacheUtil) implements Validated {

    /** The default window grace, which is also how far ahead of ingest a sample may be stamped. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(5);

    public NodeMetric(NodeRef ref, Instant timestamp, int gpuCount, double gpuUtil, long gpuMemUsedMiB,
            long gpuMemTotalMiB, double cpuUtil, double memUtil, double netRxBytesPerSec, double netTxBytesPerSec,
            Double queueDepth, Double kvCacheUtil) {
        this(ref.nodeId(), ref.region(), ref.zone(), ref.pool(), ref.tier(), ref.instanceType(), ref.capacityType(),
                timestamp, gpuCount, gpuUtil, gpuMemUsedMiB, gpuMemTotalMiB, cpuUtil, memUtil, netRxBytesPerSec,
                netTxBytesPerSec, queueDepth, kvCacheUtil);
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .inline(ref())
                .required("timestamp", timestamp)
                .nonNegative("gpuCount", gpuCount)
                .percent("gpuUtil", gpuUtil)
                .nonNegative("gpuMemUsedMiB", gpuMemUsedMiB)
                .nonNegative("gpuMemTotalMiB", gpuMemTotalMiB);
        if (gpuMemUsedMiB >= 0 && gpuMemTotalMiB >= 0) {
            checks.notExceeding("gpuMemUsedMiB", gpuMemUsedMiB, "gpuMemTotalMiB", gpuMemTotalMiB);
        }
        return checks
                .percent("cpuUtil", cpuUtil)
                .percent("memUtil", memUtil)
                .nonNegative("netRxBytesPerSec", netRxBytesPerSec)
                .nonNegative("netTxBytesPerSec", netTxBytesPerSec)
                .optionalNonNegative("queueDepth", queueDepth)
                .optionalPercent("kvCacheUtil", kvCacheUtil)
                .result();
    }

    /** This node's identity: the first seven components as one value. Not written; the JSON keeps them flat. */
    @JsonIgnore
    public NodeRef ref() {
        return new NodeRef(nodeId, region, zone, pool, tier, instanceType, capacityType);
    }

    /**
     * The ingest check: {@link #violations()} plus the clock-skew rule relative to the receiver's clock.
     */
    public List<Violation> violationsAt(Instant now, Duration maxClockSkew) {
        List<Violation> all = new ArrayList<>(violations());
        Checks.clockSkew("timestamp", timestamp, now, maxClockSkew).ifPresent(all::add);
        return List.copyOf(all);
    }
}
