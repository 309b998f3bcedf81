package dev.meridian.ingest.remotewrite;

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
 * What the remote_write door publishes to {@code meridian.metrics.raw.v1} (header
 * {@code meridian_format=prometheus-node}, key nodeId): one node's readings from one request, before rates.
 * Counters become rates only in the node-keyed stream, where consecutive readings of a node meet in one state
 * store whichever ingest replica received them.
 *
 * @param timestamp when node_exporter was scraped, or the latest GPU reading when {@code node} is absent
 * @param node      node_exporter counters and gauges of one scrape; absent when the request held only DCGM series
 * @param gpus      per-GPU DCGM readings, combined per node by the Kafka intake
 */
public record NodeSeriesSample(
        @JsonProperty(required = true) String nodeId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String zone,
        @JsonProperty(required = true) String pool,
        @JsonProperty(required = true) Tier tier,
        @JsonProperty(required = true) String instanceType,
        @JsonProperty(required = true) CapacityType capacityType,
        @JsonProperty(required = true) Instant timestamp,
        NodeCounters node,
        List<GpuReading> gpus) implements Validated {

    public NodeSeriesSample {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    public NodeSeriesSample(NodeRef ref, Instant timestamp, NodeCounters node, List<GpuReading> gpus) {
        this(ref.nodeId(), ref.region(), ref.zone(), ref.pool(), ref.tier(), ref.instanceType(), ref.capacityType(),
                timestamp, node, gpus);
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .inline(ref())
                .required("timestamp", timestamp)
                .each("gpus", gpus);
        if (node != null) {
            checks.nested("node", node);
        }
        return checks.rule(node != null || !gpus.isEmpty(), "node", Checks.REQUIRED, () -> "node or gpus is required")
                .result();
    }

    /** The node's identity: the first seven components as one value. Not written; the JSON keeps them flat. */
    @JsonIgnore
    public NodeRef ref() {
        return new NodeRef(nodeId, region, zone, pool, tier, instanceType, capacityType);
    }

    /**
     * node_exporter values of one scrape, summed over CPUs and network devices.
     *
     * @param cpuSecondsTotal     all modes except guest and guest_nice (already counted in user and nice)
     * @param cpuIdleSecondsTotal mode {@code idle}
     */
    public record NodeCounters(
            @JsonProperty(required = true) double cpuSecondsTotal,
            @JsonProperty(required = true) double cpuIdleSecondsTotal,
            @JsonProperty(required = true) double netRxBytesTotal,
            @JsonProperty(required = true) double netTxBytesTotal,
            @JsonProperty(required = true) double memAvailableBytes,
            @JsonProperty(required = true) double memTotalBytes) implements Validated {

        @Override
        public List<Violation> violations() {
            return Checks.of()
                    .nonNegative("cpuSecondsTotal", cpuSecondsTotal)
                    .nonNegative("cpuIdleSecondsTotal", cpuIdleSecondsTotal)
                    .nonNegative("netRxBytesTotal", netRxBytesTotal)
                    .nonNegative("netTxBytesTotal", netTxBytesTotal)
                    .nonNegative("memAvailableBytes", memAvailableBytes)
                    .nonNegative("memTotalBytes", memTotalBytes)
                    .result();
        }
    }

    /**
     * One GPU's DCGM readings.
     *
     * @param util percent: {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE}×100 when exported, else {@code DCGM_FI_DEV_GPU_UTIL}
     */
    public record GpuReading(
            @JsonProperty(required = true) String gpu,
            @JsonProperty(required = true) Instant timestamp,
            @JsonProperty(required = true) double util,
            @JsonProperty(required = true) long memUsedMiB,
            @JsonProperty(required = true) long memFreeMiB) implements Validated {

        @Override
        public List<Violation> violations() {
            return Checks.of()
                    .id("gpu", gpu)
                    .required("timestamp", timestamp)
                    .percent("util", util)
                    .nonNegative("memUsedMiB", memUsedMiB)
                    .nonNegative("memFreeMiB", memFreeMiB)
                    .result();
        }
    }
}
