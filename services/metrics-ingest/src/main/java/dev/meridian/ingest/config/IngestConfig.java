package dev.meridian.ingest.config;

import dev.meridian.policy.window.NodeLiveness;
import dev.meridian.policy.window.TumblingWindows;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Every knob of metrics-ingest, documented in the service README. */
@ConfigMapping(prefix = "meridian.ingest")
public interface IngestConfig {

    Window window();

    Inventory inventory();

    Intake intake();

    Http http();

    RemoteWrite remoteWrite();

    interface Window {

        /** Length of a tumbling utilization window. */
        @WithDefault("10s")
        Duration size();

        /** How long after its end a window still accepts samples; also the maximum clock skew of a sender. */
        @WithDefault("5s")
        Duration grace();

        /** Wall-clock period at which closed windows are emitted, also on a quiet partition. */
        @WithDefault("200ms")
        Duration emitInterval();

        /**
         * The latest a pool window is emitted after closing when some JOINED node has not reported for it (a pool
         * window whose nodes all reported is emitted at once).
         */
        @WithDefault("1500ms")
        Duration poolSettle();

        default TumblingWindows windows() {
            return new TumblingWindows(size(), grace());
        }
    }

    interface Inventory {

        /** A node with no sample for this many windows is STALE. */
        @WithDefault("3")
        int staleAfterWindows();

        /** A node with no sample for this long is LEFT. */
        @WithDefault("5m")
        Duration leftAfter();

        /**
         * The most nodes one region may have in the inventory and window stores; a new node's samples beyond it are
         * dead-lettered with rule {@code node-limit}. Each stream task admits its share (limit / raw partitions,
         * rounded up), so with node ids hashed across partitions a region is refused close to the limit.
         */
        @WithDefault("20000")
        int nodeLimit();

        /**
         * The most nodes of all regions together, shared by the tasks like {@link #nodeLimit()}: region names are the
         * sender's, so a flood of invented regions (each under its own limit) meets this bound.
         */
        @WithDefault("100000")
        int nodeLimitTotal();
    }

    /** What every door shares: publishing and the Kafka intake's counter state. */
    interface Intake {

        /** CloudEvents {@code ce_source} of the records ingest publishes. */
        @WithDefault("/meridian/metrics-ingest")
        String source();

        /**
         * How long an HTTP or remote_write request waits for the broker to acknowledge everything it accepted
         * before answering 503 (the sender retries). Also the producer's {@code delivery.timeout.ms}.
         */
        @WithDefault("30s")
        Duration deliveryTimeout();

        /** Per-GPU readings older than this (relative to a node's counter sample) no longer count for the node. */
        @WithDefault("2m")
        Duration gpuMaxAge();

        /**
         * How old an interruption notice's {@code noticeAt} may be on arrival (its future bound is the window grace,
         * like a sample's clock skew). A spot notice gives two minutes: a much older one is a broken sender.
         */
        @WithDefault("15m")
        Duration maxNoticeAge();

        /**
         * Also write every validated sample, with CloudEvents headers, to {@code meridian.metrics.node.v1}: an opt-in
         * tap for operators; the windowing never reads it.
         */
        @WithDefault("false")
        boolean nodeTopicTap();
    }

    interface Http {

        /**
         * Largest body the three HTTP doors accept; above it, 413 problem+json.
         * {@code quarkus.http.limits.max-body-size} follows it, so a declared Content-Length above it is refused before
         * anything is read.
         */
        @WithDefault("8M")
        MemorySize maxBodySize();

        /**
         * The most item errors one 202 answer lists ({@code errors}); {@code accepted} and {@code rejected} stay exact,
         * and {@code errorsOmitted} says how many were left out.
         */
        @WithDefault("100")
        int maxListedErrors();

        /**
         * The most DLQ records one request writes, one per rejected item (all three HTTP doors); the items beyond it
         * are still counted and answered, and one summary record (rule {@code dead-letter-cap}) says how many.
         */
        @WithDefault("1000")
        int maxDeadLettersPerRequest();

        /**
         * The most items (array elements or NDJSON lines) one {@code /v1/metrics} or {@code /v1/interruptions}
         * request may hold; above it, 413 before any item is validated. A body of tiny items ({@code [1,1,…]}) would
         * otherwise cost far more memory than its bytes.
         */
        @WithDefault("20000")
        int maxItemsPerRequest();
    }

    /** Prometheus remote_write: which labels name what, and the decompression bound. */
    interface RemoteWrite {

        /** Largest snappy-decompressed WriteRequest; above it, 413 (a small body can inflate a lot). */
        @WithDefault("32M")
        MemorySize maxDecompressedSize();

        /** The most series one WriteRequest may hold; above it, 413 (send smaller batches). */
        @WithDefault("50000")
        int maxSeriesPerRequest();

        /** The most labels (with {@code __name__}) one series may carry; above it, 400 (fix the relabeling). */
        @WithDefault("64")
        int maxLabelsPerSeries();

        /** The most samples one WriteRequest may hold, over all its series; above it, 413. */
        @WithDefault("200000")
        int maxSamplesPerRequest();

        /** Labels naming the node, tried in order; the first present wins. */
        @WithDefault("node,Hostname,instance")
        List<String> nodeLabels();

        /**
         * Labels naming the region, tried in order; the first present wins. The Kubernetes names are what
         * {@code labelmap} of {@code __meta_kubernetes_node_label_(.+)} makes of the well-known node labels.
         */
        @WithDefault("region,topology_kubernetes_io_region")
        List<String> regionLabels();

        @WithDefault("zone,topology_kubernetes_io_zone")
        List<String> zoneLabels();

        @WithDefault("pool")
        List<String> poolLabels();

        /** Values CORE_GPU / EDGE_CPU, case and dashes ignored. None present: derived (see the README). */
        @WithDefault("tier")
        List<String> tierLabels();

        /** None present: DCGM's {@link #gpuModelLabel()} of the node's series in the request, else the default. */
        @WithDefault("instance_type,node_kubernetes_io_instance_type,beta_kubernetes_io_instance_type")
        List<String> instanceTypeLabels();

        /**
         * Values ON_DEMAND / SPOT, case and dashes ignored (Karpenter's {@code on-demand} works). None present:
         * {@link #defaultCapacityType()}.
         */
        @WithDefault("capacity_type,karpenter_sh_capacity_type,eks_amazonaws_com_capacityType")
        List<String> capacityTypeLabels();

        /** The DCGM label naming the GPU model, the instance type of a node with no instance-type label. */
        @WithDefault("modelName")
        String gpuModelLabel();

        /**
         * Node labels marking a GPU node (value other than {@code false}, {@code 0}): a node without a tier label whose
         * series carry one is CORE_GPU even in a request without its DCGM series.
         */
        @WithDefault("nvidia_com_gpu_present,nvidia_com_gpu_count")
        List<String> gpuNodeLabels();

        /** Instance type of a node with neither an instance-type label nor a DCGM model in the request. */
        @WithDefault("unknown")
        String defaultInstanceType();

        /** Capacity type of a node with no capacity-type label: ON_DEMAND or SPOT. */
        @WithDefault("ON_DEMAND")
        String defaultCapacityType();

        /** The DCGM label naming the GPU on a node. */
        @WithDefault("gpu")
        String gpuLabel();

        /** Network devices (regex on node_exporter's {@code device}) left out of the node's traffic. */
        @WithDefault("lo")
        String excludedDevices();

        /** Blackbox-exporter probe labels naming the measuring and the measured region. */
        @WithDefault("source_region")
        String probeSourceLabel();

        @WithDefault("target_region")
        String probeTargetLabel();

        /** {@code source} of the LatencyProbes made from probe_duration_seconds. */
        @WithDefault("blackbox-exporter")
        String probeSource();
    }

    default NodeLiveness liveness() {
        return new NodeLiveness(window().windows(), inventory().staleAfterWindows(), inventory().leftAfter());
    }
}
