package dev.meridian.ingest.remotewrite;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.ingest.config.IngestConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which Prometheus labels name what (configuration: {@code meridian.ingest.remote-write.*}). Each identity field has
 * candidate label names, tried in order: the first present (and non-blank) wins. The defaults take Meridian's own
 * names first, then what Kubernetes service discovery and {@code labelmap} of {@code __meta_kubernetes_node_label_(.+)}
 * give ({@code topology_kubernetes_io_region}, {@code node_kubernetes_io_instance_type}, ...).
 *
 * <p>Fields no label names: the instance type falls back to DCGM's GPU model ({@code gpuModel}) of the node's series
 * in the same request, then to {@code defaultInstanceType}; the tier is CORE_GPU when the node's series in the request
 * include DCGM series or carry a {@code gpuNodeLabels} label, else EDGE_CPU; the capacity type is
 * {@code defaultCapacityType}.
 *
 * @param gpuNodeLabels node labels that mark a GPU node (GPU Operator's {@code nvidia.com/gpu.present}, GPU feature
 *                      discovery's {@code nvidia.com/gpu.count}): present with a value other than {@code false},
 *                      {@code 0} or blank
 */
public record LabelScheme(List<String> nodeLabels, List<String> regionLabels, List<String> zoneLabels,
        List<String> poolLabels, List<String> tierLabels, List<String> instanceTypeLabels,
        List<String> capacityTypeLabels, String gpuModel, List<String> gpuNodeLabels, String defaultInstanceType,
        CapacityType defaultCapacityType, String gpu, Pattern excludedDevices, String probeSource,
        String probeTarget, String probeSourceName) {

    public static final List<String> DEFAULT_NODE_LABELS = List.of("node", "Hostname", "instance");
    public static final List<String> DEFAULT_REGION_LABELS = List.of("region", "topology_kubernetes_io_region");
    public static final List<String> DEFAULT_ZONE_LABELS = List.of("zone", "topology_kubernetes_io_zone");
    public static final List<String> DEFAULT_INSTANCE_TYPE_LABELS = List.of("instance_type",
            "node_kubernetes_io_instance_type", "beta_kubernetes_io_instance_type");
    /** Meridian's, Karpenter's ({@code karpenter.sh/capacity-type}) and EKS managed node groups' label. */
    public static final List<String> DEFAULT_CAPACITY_TYPE_LABELS = List.of("capacity_type",
            "karpenter_sh_capacity_type", "eks_amazonaws_com_capacityType");
    public static final List<String> DEFAULT_GPU_NODE_LABELS = List.of("nvidia_com_gpu_present",
            "nvidia_com_gpu_count");

    public LabelScheme {
        nodeLabels = candidates("node", nodeLabels);
        regionLabels = candidates("region", regionLabels);
        zoneLabels = candidates("zone", zoneLabels);
        poolLabels = candidates("pool", poolLabels);
        tierLabels = candidates("tier", tierLabels);
        instanceTypeLabels = candidates("instance type", instanceTypeLabels);
        capacityTypeLabels = candidates("capacity type", capacityTypeLabels);
        gpuNodeLabels = List.copyOf(gpuNodeLabels);
        if (defaultInstanceType == null || defaultInstanceType.isBlank()) {
            throw new IllegalArgumentException("the default instance type must not be blank");
        }
    }

    /** A label found on a series: which candidate it was, and its value. */
    public record Found(String name, String value) {
    }

    public static LabelScheme defaults() {
        return new LabelScheme(DEFAULT_NODE_LABELS, DEFAULT_REGION_LABELS, DEFAULT_ZONE_LABELS, List.of("pool"),
                List.of("tier"), DEFAULT_INSTANCE_TYPE_LABELS, DEFAULT_CAPACITY_TYPE_LABELS, "modelName",
                DEFAULT_GPU_NODE_LABELS, "unknown", CapacityType.ON_DEMAND, "gpu", Pattern.compile("lo"),
                "source_region", "target_region", "blackbox-exporter");
    }

    public static LabelScheme from(IngestConfig.RemoteWrite config) {
        CapacityType capacity = enumOf(CapacityType.class, config.defaultCapacityType());
        if (capacity == null) {
            throw new IllegalArgumentException("meridian.ingest.remote-write.default-capacity-type must be one of "
                    + Arrays.toString(CapacityType.values()) + ", was \"" + config.defaultCapacityType() + "\"");
        }
        return new LabelScheme(config.nodeLabels(), config.regionLabels(), config.zoneLabels(), config.poolLabels(),
                config.tierLabels(), config.instanceTypeLabels(), config.capacityTypeLabels(), config.gpuModelLabel(),
                config.gpuNodeLabels(), config.defaultInstanceType(), capacity, config.gpuLabel(),
                Pattern.compile(config.excludedDevices()), config.probeSourceLabel(), config.probeTargetLabel(),
                config.probeSource());
    }

    /** The first of {@code names} present on the series with a non-blank value, or null. */
    public static Found first(List<String> names, Map<String, String> labels) {
        for (String name : names) {
            String value = labels.get(name);
            if (value != null && !value.isBlank()) {
                return new Found(name, value);
            }
        }
        return null;
    }

    /** Whether one of the GPU node labels says the node has GPUs. */
    public boolean marksGpuNode(Map<String, String> labels) {
        for (String name : gpuNodeLabels) {
            String value = labels.get(name);
            if (value != null && !value.isBlank() && !value.trim().equalsIgnoreCase("false")
                    && !value.trim().equals("0")) {
                return true;
            }
        }
        return false;
    }

    /** CORE_GPU, core-gpu and core_gpu all name the same constant: label values follow their own conventions. */
    public static <E extends Enum<E>> E enumOf(Class<E> type, String value) {
        String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(normalized)).findFirst().orElse(null);
    }

    private static List<String> candidates(String field, List<String> names) {
        if (names == null || names.isEmpty() || names.stream().anyMatch(name -> name == null || name.isBlank())) {
            throw new IllegalArgumentException("the " + field + " labels must be a non-empty list of label names, was "
                    + names);
        }
        return List.copyOf(names);
    }
}
