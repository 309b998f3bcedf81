package dev.meridian.fleetsim.emit;

import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.fleetsim.emit.WriteRequestEncoder.Series;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a tick's NodeMetric samples into the series the exporters on a real node would send, named and labelled
 * as metrics-ingest's remote_write door reads them by default ({@code LabelScheme.defaults()}: node, region, zone,
 * pool, tier, instance_type, capacity_type, gpu; probes source_region/target_region). Stateful: node_exporter's
 * counters keep growing per node from tick to tick, by what the sample's utilization and network rates imply
 * over the time since the node's previous sample, so ingest's rates come out as the sample's values.
 *
 * <ul>
 * <li>DCGM, per GPU (nodes with GPUs only): {@code DCGM_FI_DEV_GPU_UTIL} (the GPUs of a pair spread ±5 points
 * around the node's value, so their average is exactly it), {@code DCGM_FI_DEV_FB_USED} and
 * {@code DCGM_FI_DEV_FB_FREE} in MiB (the node's totals split over its GPUs).</li>
 * <li>node_exporter: {@code node_cpu_seconds_total} modes idle and user of one CPU (ingest needs only the ratio),
 * {@code node_network_receive_bytes_total} / {@code _transmit_} of device eth0,
 * {@code node_memory_MemTotal_bytes} (64 GiB) and {@code node_memory_MemAvailable_bytes}.</li>
 * <li>{@code probe_duration_seconds{source_region, target_region}} = round trip in ms / 1000.</li>
 * </ul>
 * Queue depth and KV cache have no exporter series here, so ingest's samples from this door carry neither.
 */
public final class NodeExporterSeries {

    public static final double MEM_TOTAL_BYTES = 64d * 1024 * 1024 * 1024;
    static final double GPU_SPREAD = 5;
    static final String DEVICE = "eth0";

    private final Map<String, Counters> counters = new HashMap<>();

    /** node_exporter's counters of one node at its last sample. */
    private record Counters(long atMillis, double cpuIdle, double cpuUser, double rx, double tx) {
    }

    /**
     * The series of one tick. A node absent from {@code samples} is forgotten: should it report again, its
     * counters restart at 0, which ingest treats as an exporter restart.
     */
    public List<Series> tick(List<NodeMetric> samples, List<LatencyProbe> probes) {
        List<Series> series = new ArrayList<>();
        Set<String> reporting = new HashSet<>();
        for (NodeMetric sample : samples) {
            reporting.add(sample.nodeId());
            node(sample, series);
        }
        counters.keySet().retainAll(reporting);
        for (LatencyProbe probe : probes) {
            series.add(Series.of("probe_duration_seconds", Map.of("source_region", probe.fromRegion(),
                    "target_region", probe.toRegion()), probe.rttMs() / 1000, probe.observedAt().toEpochMilli()));
        }
        return series;
    }

    private void node(NodeMetric sample, List<Series> out) {
        long at = sample.timestamp().toEpochMilli();
        Map<String, String> node = Map.of("node", sample.nodeId(), "region", sample.region(), "zone", sample.zone(),
                "pool", sample.pool(), "tier", sample.tier().name(), "instance_type", sample.instanceType(),
                "capacity_type", sample.capacityType().name());
        int gpus = sample.gpuCount();
        for (int gpu = 0; gpu < gpus; gpu++) {
            Map<String, String> labels = new HashMap<>(node);
            labels.put("gpu", Integer.toString(gpu));
            out.add(Series.of("DCGM_FI_DEV_GPU_UTIL", labels, gpuUtil(sample.gpuUtil(), gpu, gpus), at));
            long used = share(sample.gpuMemUsedMiB(), gpu, gpus);
            out.add(Series.of("DCGM_FI_DEV_FB_USED", labels, used, at));
            out.add(Series.of("DCGM_FI_DEV_FB_FREE", labels, share(sample.gpuMemTotalMiB(), gpu, gpus) - used, at));
        }
        Counters previous = counters.get(sample.nodeId());
        Counters now;
        if (previous == null) {
            now = new Counters(at, 0, 0, 0, 0);
        } else if (at <= previous.atMillis()) {
            now = previous;
        } else {
            double seconds = (at - previous.atMillis()) / 1000.0;
            double busy = seconds * sample.cpuUtil() / 100;
            now = new Counters(at, previous.cpuIdle() + seconds - busy, previous.cpuUser() + busy,
                    previous.rx() + sample.netRxBytesPerSec() * seconds,
                    previous.tx() + sample.netTxBytesPerSec() * seconds);
        }
        counters.put(sample.nodeId(), now);
        out.add(Series.of("node_cpu_seconds_total", with(node, "cpu", "0", "mode", "idle"), now.cpuIdle(), at));
        out.add(Series.of("node_cpu_seconds_total", with(node, "cpu", "0", "mode", "user"), now.cpuUser(), at));
        out.add(Series.of("node_network_receive_bytes_total", with(node, "device", DEVICE), now.rx(), at));
        out.add(Series.of("node_network_transmit_bytes_total", with(node, "device", DEVICE), now.tx(), at));
        out.add(Series.of("node_memory_MemTotal_bytes", node, MEM_TOTAL_BYTES, at));
        out.add(Series.of("node_memory_MemAvailable_bytes", node, MEM_TOTAL_BYTES * (1 - sample.memUtil() / 100), at));
    }

    /** GPUs 0/1, 2/3, … sit at +d/−d around the node's value (d ≤ 5, kept within 0..100); an odd last one at it. */
    static double gpuUtil(double nodeUtil, int gpu, int gpus) {
        if (gpu == gpus - 1 && gpus % 2 == 1) {
            return nodeUtil;
        }
        double spread = Math.min(GPU_SPREAD, Math.min(nodeUtil, 100 - nodeUtil));
        return gpu % 2 == 0 ? nodeUtil + spread : nodeUtil - spread;
    }

    /** GPU {@code gpu}'s part of {@code total}: equal parts, the remainder one MiB each to the first GPUs. */
    static long share(long total, int gpu, int gpus) {
        return total / gpus + (gpu < total % gpus ? 1 : 0);
    }

    private static Map<String, String> with(Map<String, String> labels, String... more) {
        Map<String, String> all = new HashMap<>(labels);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }
}
