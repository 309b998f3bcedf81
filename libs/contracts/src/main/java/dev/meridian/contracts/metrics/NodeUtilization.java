package dev.meridian.contracts.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.fleet.CapacityType;
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

    @Override
    public List<Violation> violations() {
        return Checks.of()
                .id("nodeId", nodeId)
                .id("region", region)
                .id("zone", zone)
                .id("pool", pool)
                .required("tier", tier)
                .id("instanceType", instanceType)
                .required("capacityType", capacityType)
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
}
