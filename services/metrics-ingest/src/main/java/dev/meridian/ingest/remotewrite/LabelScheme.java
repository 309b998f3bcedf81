package dev.meridian.ingest.remotewrite;

import dev.meridian.ingest.config.IngestConfig;
import java.util.List;
import java.util.regex.Pattern;

/** Which Prometheus labels name what (configuration: {@code meridian.ingest.remote-write.*}). */
public record LabelScheme(List<String> nodeLabels, String region, String zone, String pool, String tier,
        String instanceType, String capacityType, String gpu, Pattern excludedDevices, String probeSource,
        String probeTarget, String probeSourceName) {

    public static LabelScheme defaults() {
        return new LabelScheme(List.of("node", "Hostname", "instance"), "region", "zone", "pool", "tier",
                "instance_type", "capacity_type", "gpu", Pattern.compile("lo"), "source_region", "target_region",
                "blackbox-exporter");
    }

    public static LabelScheme from(IngestConfig.RemoteWrite config) {
        return new LabelScheme(List.copyOf(config.nodeLabels()), config.regionLabel(), config.zoneLabel(),
                config.poolLabel(), config.tierLabel(), config.instanceTypeLabel(), config.capacityTypeLabel(),
                config.gpuLabel(), Pattern.compile(config.excludedDevices()), config.probeSourceLabel(),
                config.probeTargetLabel(), config.probeSource());
    }
}
