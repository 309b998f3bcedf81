package dev.meridian.contracts.metrics;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * One pool's node windows aggregated: what scaling and cross-region routing decide on. Averages are over
 * the eligible nodes; this record crosses regions, node-level detail does not.
 *
 * @param nodeCount      nodes of the pool that reported in the window
 * @param eligibleCount  nodes that may take traffic (not stale, saturated, draining or interrupted)
 * @param saturatedCount nodes at or above the saturation threshold
 * @param staleCount     nodes whose samples stopped
 */
public record PoolUtilization(
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String pool,
        @JsonProperty(required = true) Tier tier,
        @JsonProperty(required = true) Instant windowStart,
        @JsonProperty(required = true) Instant windowEnd,
        @JsonProperty(required = true) int nodeCount,
        @JsonProperty(required = true) int eligibleCount,
        @JsonProperty(required = true) int saturatedCount,
        @JsonProperty(required = true) int staleCount,
        @JsonProperty(required = true) double gpuAvg,
        @JsonProperty(required = true) double gpuMax,
        @JsonProperty(required = true) double cpuAvg,
        @JsonProperty(required = true) double gpuMemPeakPct,
        Double queueDepthAvg,
        Double kvCacheAvg) implements Validated {

    /** The record key on {@code meridian.utilization.pool.v1}. */
    public String key() {
        return region + "/" + pool;
    }

    /**
     * The load routing and scaling use: GPU utilization for GPU pools, CPU utilization for edge pools.
     * Derived, so it is not serialized.
     */
    @JsonIgnore
    public double load() {
        return tier == Tier.EDGE_CPU ? cpuAvg : gpuAvg;
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .id("region", region)
                .id("pool", pool)
                .required("tier", tier)
                .required("windowStart", windowStart)
                .required("windowEnd", windowEnd)
                .after("windowEnd", windowEnd, "windowStart", windowStart)
                .nonNegative("nodeCount", nodeCount)
                .nonNegative("eligibleCount", eligibleCount)
                .nonNegative("saturatedCount", saturatedCount)
                .nonNegative("staleCount", staleCount);
        if (nodeCount >= 0) {
            checks.notExceeding("eligibleCount", eligibleCount, "nodeCount", nodeCount)
                    .notExceeding("saturatedCount", saturatedCount, "nodeCount", nodeCount)
                    .notExceeding("staleCount", staleCount, "nodeCount", nodeCount);
        }
        return checks
                .percent("gpuAvg", gpuAvg)
                .percent("gpuMax", gpuMax)
                .percent("cpuAvg", cpuAvg)
                .percent("gpuMemPeakPct", gpuMemPeakPct)
                .optionalNonNegative("queueDepthAvg", queueDepthAvg)
                .optionalPercent("kvCacheAvg", kvCacheAvg)
                .result();
    }
}
