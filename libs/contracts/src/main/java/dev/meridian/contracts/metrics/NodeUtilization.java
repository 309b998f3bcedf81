package dev.meridian.contracts.metrics;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeRef;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * One node's samples aggregated over one tumbling window ({@code [windowStart, windowEnd)}).
 *
 * @param gpuMemPeakPct highest {@code gpuMemUsedMiB / gpuMemTotalMiB} of the window, in percent
 * @param queueDepthAvg absent when no sample of the window reported a queue depth
 * @param kvCacheAvg    absent when no sample of the window reported KV-cache occupancy
 */
public record NodeUtilization(
        @JsonProperty(required = true) String nodeId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String zone,
        @JsonProperty(required = true) String pool,
        @JsonProperty(required = true) Tier tier,
        @JsonProperty(required = true) String instanceType,
        @JsonProperty(required = true) CapacityType capacityType,
        @JsonProperty(required = true) Instant windowStart,
        @JsonProperty(required = true) Instant windowEnd,
        @JsonProperty(required = true) int sampleCount,
        @JsonProperty(required = true) double gpuAvg,
        @JsonProperty(required = true) double gpuMax,
        @JsonProperty(required = true) double gpuMemPeakPct,
        @JsonProperty(required = true) double cpuAvg,
        @JsonProperty(required = true) double memAvg,
        @JsonProperty(required = true) double netRxAvg,
        @JsonProperty(required = true) double netTxAvg,
        Double queueDepthAvg,
        Double kvCacheAvg) implements Validated {

    public NodeUtilization(NodeRef ref, Instant windowStart, Instant windowEnd, int sampleCount, double gpuAvg,
            double gpuMax, double gpuMemPeakPct, double cpuAvg, double memAvg, double netRxAvg, double netTxAvg,
            Double queueDepthAvg, Double kvCacheAvg) {
        this(ref.nodeId(), ref.region(), ref.zone(), ref.pool(), ref.tier(), ref.instanceType(), ref.capacityType(),
                windowStart, windowEnd, sampleCount, gpuAvg, gpuMax, gpuMemPeakPct, cpuAvg, memAvg, netRxAvg,
                netTxAvg, queueDepthAvg, kvCacheAvg);
    }

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .inline(ref())
                .required("windowStart", windowStart)
                .required("windowEnd", windowEnd)
                .after("windowEnd", windowEnd, "windowStart", windowStart)
                .nonNegative("sampleCount", sampleCount)
                .percent("gpuAvg", gpuAvg)
                .percent("gpuMax", gpuMax)
                .percent("gpuMemPeakPct", gpuMemPeakPct)
                .percent("cpuAvg", cpuAvg)
                .percent("memAvg", memAvg)
                .nonNegative("netRxAvg", netRxAvg)
                .nonNegative("netTxAvg", netTxAvg)
                .optionalNonNegative("queueDepthAvg", queueDepthAvg)
                .optionalPercent("kvCacheAvg", kvCacheAvg)
                .result();
    }

    /** This node's identity: the first seven components as one value. Not written; the JSON keeps them flat. */
    @JsonIgnore
    public NodeRef ref() {
        return new NodeRef(nodeId, region, zone, pool, tier, instanceType, capacityType);
    }
}
