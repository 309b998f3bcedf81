package dev.meridian.ingest.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeRef;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.ingest.intake.IntakeException;
import dev.meridian.ingest.intake.RawFormat;
import dev.meridian.ingest.intake.RegionPermit;
import dev.meridian.ingest.intake.SampleValidator;
import dev.meridian.ingest.metrics.MicrometerIntakeMetrics;
import dev.meridian.ingest.remotewrite.NodeSeriesSample.GpuReading;
import dev.meridian.ingest.streams.RawIntake;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class RemoteWriteMapperTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final long T1 = NOW.minusSeconds(30).toEpochMilli();
    private static final long T2 = NOW.minusSeconds(15).toEpochMilli();
    private static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private final RemoteWriteMapper mapper = new RemoteWriteMapper(LabelScheme.defaults());

    @Test
    void combinesSeveralGpusOfANodePreferringEngineActivity() throws Exception {
        RemoteWritePayloads payload = RemoteWritePayloads.request()
                .series("DCGM_FI_DEV_GPU_UTIL", 40, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_FB_USED", 10_000, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_FB_FREE", 30_960, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_GPU_UTIL", 99, T1, gpu("a100-1", "1"))
                .series("DCGM_FI_PROF_GR_ENGINE_ACTIVE", 0.8, T1, gpu("a100-1", "1"))
                .series("DCGM_FI_DEV_FB_USED", 20_000, T1, gpu("a100-1", "1"))
                .series("DCGM_FI_DEV_FB_FREE", 20_960, T1, gpu("a100-1", "1"))
                .series("DCGM_FI_DEV_GPU_TEMP", 61, T1, gpu("a100-1", "1"));

        RemoteWriteMapper.Mapping mapping = map(payload);

        assertThat(mapping.rejects()).isEmpty();
        assertThat(mapping.ignored()).isEqualTo(1);
        assertThat(mapping.nodes()).singleElement().satisfies(node -> {
            assertThat(node.nodeId()).isEqualTo("a100-1");
            assertThat(node.tier()).isEqualTo(Tier.CORE_GPU);
            assertThat(node.capacityType()).as("Karpenter's on-demand").isEqualTo(CapacityType.ON_DEMAND);
            assertThat(node.node()).isNull();
            assertThat(node.gpus()).containsExactly(
                    new GpuReading("0", Instant.ofEpochMilli(T1), 40, 10_000, 30_960),
                    new GpuReading("1", Instant.ofEpochMilli(T1), 80, 20_000, 20_960));
        });
    }

    @Test
    void nodeExporterCountersAcrossTwoRequestsBecomeRatesInTheNodeKeyedStream() throws Exception {
        RemoteWriteMapper.Mapping first = map(nodeExporter(RemoteWritePayloads.request(), T1, 1_000, 800, 4e9, 2e9)
                .series("DCGM_FI_DEV_GPU_UTIL", 50, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_FB_USED", 1_000, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_FB_FREE", 39_000, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_GPU_UTIL", 70, T1, gpu("a100-1", "1"))
                .series("DCGM_FI_DEV_FB_USED", 3_000, T1, gpu("a100-1", "1"))
                .series("DCGM_FI_DEV_FB_FREE", 37_000, T1, gpu("a100-1", "1")));
        RemoteWriteMapper.Mapping second = map(nodeExporter(RemoteWritePayloads.request(), T2, 1_240, 920, 4e9 + 30e6,
                2e9 + 15e6));

        assertThat(first.nodes()).singleElement().satisfies(node -> {
            assertThat(node.node().cpuSecondsTotal()).as("guest is already in user").isEqualTo(1_000);
            assertThat(node.node().netRxBytesTotal()).as("lo left out").isEqualTo(4e9);
        });
        try (TopologyTestDriver driver = rawIntake()) {
            var raw = driver.createInputTopic(TopicCatalog.METRICS_RAW, new ByteArraySerializer(), new ByteArraySerializer());
            var out = driver.createOutputTopic(TopicCatalog.METRICS_NODE, new StringDeserializer(), new ByteArrayDeserializer());
            for (NodeSeriesSample sample : List.of(first.nodes().get(0), second.nodes().get(0))) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(RawFormat.HEADER, RawFormat.PROMETHEUS_NODE.headerValue());
                raw.pipeInput(new TestRecord<>(sample.nodeId().getBytes(StandardCharsets.UTF_8),
                        ContractJson.write(sample), headers, sample.timestamp()));
            }

            NodeMetric metric = ContractJson.read(out.readRecord().value(), NodeMetric.class);
            assertThat(metric.timestamp()).isEqualTo(Instant.ofEpochMilli(T2));
            assertThat(metric.cpuUtil()).isEqualTo(50.0);
            assertThat(metric.netRxBytesPerSec()).isEqualTo(2e6);
            assertThat(metric.netTxBytesPerSec()).isEqualTo(1e6);
            assertThat(metric.memUtil()).isEqualTo(75.0);
            assertThat(metric.gpuCount()).isEqualTo(2);
            assertThat(metric.gpuUtil()).isEqualTo(60.0);
            assertThat(metric.gpuMemUsedMiB()).isEqualTo(4_000);
            assertThat(metric.gpuMemTotalMiB()).isEqualTo(80_000);
            assertThat(out.isEmpty()).isTrue();
        }
    }

    @Test
    void kubernetesServiceDiscoveryLabelsAloneBecomeAValidNodeMetric() throws Exception {
        // Only what kubernetes_sd_configs + labelmap of the node's labels give (README, remote_write): no tier, no
        // capacity type, no Meridian label names but node and pool.
        String[] target = k8sTarget("ip-10-0-1-7", "node_kubernetes_io_instance_type", "p4d.24xlarge");
        double busy1 = 300;
        double idle1 = 700;
        double busy2 = busy1 + 12;
        double idle2 = idle1 + 18;
        double rx1 = 1e9;
        double tx1 = 5e8;
        double seconds = (T2 - T1) / 1000.0;
        double rxPerSec = 2e6;
        double txPerSec = 1e6;
        long used2 = 30_000;
        long free2 = 51_920;
        double util2 = 45;
        RemoteWriteMapper.Mapping first = map(dcgm(nodeExporter(RemoteWritePayloads.request(), target, T1, busy1, idle1,
                rx1, tx1), target, T1, 35, 20_000, 61_920));
        RemoteWriteMapper.Mapping second = map(dcgm(nodeExporter(RemoteWritePayloads.request(), target, T2, busy2,
                idle2, rx1 + rxPerSec * seconds, tx1 + txPerSec * seconds), target, T2, util2, used2, free2));

        assertThat(first.rejects()).isEmpty();
        assertThat(second.rejects()).isEmpty();
        NodeRef expected = new NodeRef("ip-10-0-1-7", "us-east-1", "us-east-1a", "llm-a100", Tier.CORE_GPU,
                "p4d.24xlarge", CapacityType.ON_DEMAND);
        assertThat(first.nodes()).singleElement().satisfies(node -> assertThat(node.ref()).isEqualTo(expected));

        NodeMetric metric = rates(first.nodes().get(0), second.nodes().get(0));
        assertThat(metric.violations()).isEmpty();
        assertThat(metric.ref()).as("tier from the DCGM series, capacity type the default").isEqualTo(expected);
        assertThat(metric.timestamp()).isEqualTo(Instant.ofEpochMilli(T2));
        assertThat(metric.cpuUtil()).isEqualTo(100 * (busy2 - busy1) / ((busy2 - busy1) + (idle2 - idle1)));
        assertThat(metric.memUtil()).isEqualTo(100 * (1 - MEM_AVAILABLE / MEM_TOTAL));
        assertThat(metric.netRxBytesPerSec()).isCloseTo(rxPerSec, within(1e-6));
        assertThat(metric.netTxBytesPerSec()).isCloseTo(txPerSec, within(1e-6));
        assertThat(metric.gpuCount()).isEqualTo(1);
        assertThat(metric.gpuUtil()).isEqualTo(util2);
        assertThat(metric.gpuMemUsedMiB()).isEqualTo(used2);
        assertThat(metric.gpuMemTotalMiB()).isEqualTo(used2 + free2);
    }

    @Test
    void instanceTypeFallsBackToTheDcgmModelOfTheRequestThenToTheDefault() throws Exception {
        String[] target = k8sTarget("bm-7");
        String model = "NVIDIA A100-SXM4-80GB";

        RemoteWriteMapper.Mapping both = map(dcgm(nodeExporter(RemoteWritePayloads.request(), target, T1, 1, 1, 1, 1),
                target, T1, 35, 1, 1));
        RemoteWriteMapper.Mapping nodeExporterOnly = map(nodeExporter(RemoteWritePayloads.request(), target, T2, 2, 2,
                2, 2));

        assertThat(both.rejects()).isEmpty();
        assertThat(both.nodes()).singleElement().satisfies(node -> {
            assertThat(node.instanceType()).as("node_exporter's series too, from DCGM's in the request")
                    .isEqualTo(model);
            assertThat(node.node()).isNotNull();
            assertThat(node.gpus()).hasSize(1);
        });
        assertThat(nodeExporterOnly.nodes()).singleElement().satisfies(node -> {
            assertThat(node.instanceType()).isEqualTo(LabelScheme.defaults().defaultInstanceType());
            assertThat(node.tier()).as("no DCGM series and no GPU node label in this request").isEqualTo(Tier.EDGE_CPU);
        });
        RemoteWriteMapper custom = new RemoteWriteMapper(scheme(LabelScheme.defaults().regionLabels(), "bare-metal",
                CapacityType.ON_DEMAND));
        assertThat(custom.map(decode(nodeExporter(RemoteWritePayloads.request(), target, T2, 2, 2, 2, 2)),
                RegionPermit.ALL).nodes()).extracting(NodeSeriesSample::instanceType).containsExactly("bare-metal");
    }

    @Test
    void tierIsCoreGpuWithDcgmSeriesOrAGpuNodeLabelElseEdgeCpu() throws Exception {
        String[] gpuNode = k8sTarget("gpu-1");
        String[] labelledGpuNode = with(k8sTarget("gpu-2"), "nvidia_com_gpu_present", "true");
        String[] countedGpuNode = with(k8sTarget("gpu-3"), "nvidia_com_gpu_count", "8");
        String[] cpuNode = with(k8sTarget("cpu-1"), "nvidia_com_gpu_present", "false");
        String[] explicit = with(k8sTarget("tiered-1"), "tier", "edge-cpu");

        RemoteWriteMapper.Mapping mapping = map(dcgm(nodeExporter(nodeExporter(nodeExporter(nodeExporter(
                nodeExporter(RemoteWritePayloads.request(), gpuNode, T1, 1, 1, 1, 1), labelledGpuNode, T1, 1, 1, 1, 1),
                countedGpuNode, T1, 1, 1, 1, 1), cpuNode, T1, 1, 1, 1, 1), explicit, T1, 1, 1, 1, 1),
                gpuNode, T1, 35, 1, 1)
                .series("DCGM_FI_DEV_GPU_UTIL", 35, T1, dcgmLabels(explicit, "0"))
                .series("DCGM_FI_DEV_FB_USED", 1, T1, dcgmLabels(explicit, "0"))
                .series("DCGM_FI_DEV_FB_FREE", 1, T1, dcgmLabels(explicit, "0")));

        assertThat(mapping.rejects()).isEmpty();
        assertThat(mapping.nodes()).extracting(NodeSeriesSample::nodeId, NodeSeriesSample::tier).containsExactly(
                tuple("gpu-1", Tier.CORE_GPU), tuple("gpu-2", Tier.CORE_GPU), tuple("gpu-3", Tier.CORE_GPU),
                tuple("cpu-1", Tier.EDGE_CPU), tuple("tiered-1", Tier.EDGE_CPU));
    }

    @Test
    void capacityTypeIsTheDefaultUnlessALabelSaysOtherwise() throws Exception {
        RemoteWritePayloads payload = nodeExporter(nodeExporter(nodeExporter(RemoteWritePayloads.request(),
                k8sTarget("plain"), T1, 1, 1, 1, 1),
                with(k8sTarget("karpenter"), "karpenter_sh_capacity_type", "spot"), T1, 1, 1, 1, 1),
                with(k8sTarget("eks"), "eks_amazonaws_com_capacityType", "SPOT"), T1, 1, 1, 1, 1);

        assertThat(map(payload).nodes()).extracting(NodeSeriesSample::nodeId, NodeSeriesSample::capacityType)
                .containsExactly(tuple("plain", CapacityType.ON_DEMAND), tuple("karpenter", CapacityType.SPOT),
                        tuple("eks", CapacityType.SPOT));
        RemoteWriteMapper spotByDefault = new RemoteWriteMapper(scheme(LabelScheme.defaults().regionLabels(),
                "unknown", CapacityType.SPOT));
        assertThat(spotByDefault.map(decode(payload), RegionPermit.ALL).nodes())
                .extracting(NodeSeriesSample::capacityType).containsOnly(CapacityType.SPOT);
    }

    @Test
    void theFirstPresentCandidateNamesAFieldAndARegionRefusalNamesTheLabelFound() throws Exception {
        String[] both = with(k8sTarget("both-1"), "region", "eu-west");
        String[] kubernetesOnly = k8sTarget("k8s-1");

        RemoteWriteMapper.Mapping mapping = mapper.map(decode(nodeExporter(nodeExporter(RemoteWritePayloads.request(),
                both, T1, 1, 1, 1, 1), kubernetesOnly, T1, 1, 1, 1, 1)), RegionPermit.only(Set.of("eu-west")));

        assertThat(mapping.nodes()).extracting(NodeSeriesSample::nodeId, NodeSeriesSample::region)
                .containsExactly(tuple("both-1", "eu-west"));
        assertThat(mapping.rejects()).isNotEmpty().allSatisfy(bad -> {
            assertThat(bad.nodeId()).isEqualTo("k8s-1");
            assertThat(bad.rejected().field()).isEqualTo("topology_kubernetes_io_region");
            assertThat(bad.rejected().rule()).isEqualTo(RegionPermit.RULE);
        });

        RemoteWriteMapper configured = new RemoteWriteMapper(scheme(List.of("cluster_region"), "unknown",
                CapacityType.ON_DEMAND));
        assertThat(configured.map(decode(nodeExporter(RemoteWritePayloads.request(),
                with(k8sTarget("own-1"), "cluster_region", "ap-south"), T1, 1, 1, 1, 1)), RegionPermit.ALL).nodes())
                .extracting(NodeSeriesSample::region).containsExactly("ap-south");
    }

    @Test
    void blackboxProbeBecomesALatencyProbeInMilliseconds() throws Exception {
        RemoteWriteMapper.Mapping mapping = map(RemoteWritePayloads.request()
                .series("probe_duration_seconds", 0.0723, T1, "source_region", "us-east", "target_region", "eu-west",
                        "job", "blackbox"));

        assertThat(mapping.probes()).containsExactly(
                new LatencyProbe("us-east", "eu-west", 72.3, Instant.ofEpochMilli(T1), "blackbox-exporter"));
        assertThat(mapping.probes().get(0).key()).isEqualTo("us-east/eu-west");
    }

    @Test
    void corruptDcgmValueRejectsThatSampleOnly() throws Exception {
        RemoteWriteMapper.Mapping mapping = map(RemoteWritePayloads.request()
                .series("DCGM_FI_DEV_GPU_UTIL", 4294967295d, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_GPU_UTIL", 30, T1, gpu("a100-1", "1"))
                .series("DCGM_FI_DEV_FB_USED", 5, T1, gpu("a100-1", "1"))
                .series("DCGM_FI_DEV_FB_FREE", 5, T1, gpu("a100-1", "1"))
                .series("probe_duration_seconds", 0.01, T1, "source_region", "us-east", "target_region", "us-west"));

        assertThat(mapping.probes()).hasSize(1);
        assertThat(mapping.nodes()).singleElement()
                .satisfies(node -> assertThat(node.gpus()).extracting(GpuReading::gpu).containsExactly("1"));
        assertThat(mapping.rejects()).extracting(bad -> bad.rejected().field(), bad -> bad.rejected().rule())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("DCGM_FI_DEV_GPU_UTIL", "range"));
        assertThat(new String(mapping.rejects().get(0).document(), StandardCharsets.UTF_8))
                .contains("\"value\":\"4294967295\"").contains("\"gpu\":\"0\"");
        assertThat(mapping.rejects().get(0).rejected().reason()).contains("4294967295");
    }

    @Test
    void seriesWithoutRequiredLabelsAreRejectedWithTheLabelNamed() throws Exception {
        RemoteWriteMapper.Mapping mapping = map(RemoteWritePayloads.request()
                .series("DCGM_FI_DEV_GPU_UTIL", 30, T1, "Hostname", "a100-9", "gpu", "0")
                .series("probe_duration_seconds", 0.01, T1, "source_region", "us-east")
                .series("DCGM_FI_DEV_GPU_UTIL", 30, T1, "node", "a100-8", "region", "us-east", "zone", "z", "pool", "p",
                        "tier", "core-gpu", "instance_type", "p5", "capacity_type", "preemptible", "gpu", "0"));

        assertThat(mapping.nodes()).isEmpty();
        assertThat(mapping.rejects()).extracting(bad -> bad.rejected().field() + ":" + bad.rejected().rule())
                .containsExactly("region|topology_kubernetes_io_region:required", "target_region:required",
                        "capacity_type:enum");
    }

    @Test
    void staleMarkersAreNotSamplesButNaNIs() throws Exception {
        RemoteWriteMapper.Mapping mapping = map(RemoteWritePayloads.request()
                .series("DCGM_FI_DEV_GPU_UTIL", STALE_NAN, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_FB_USED", Double.NaN, T1, gpu("a100-1", "1")));

        assertThat(mapping.rejects()).extracting(bad -> bad.rejected().field() + ":" + bad.rejected().rule())
                .containsExactly("DCGM_FI_DEV_FB_USED:finite");
        assertThat(mapping.nodes()).isEmpty();
    }

    @Test
    void incompleteNodeExporterScrapeIsRejectedNotTurnedIntoWrongRates() throws Exception {
        RemoteWriteMapper.Mapping mapping = map(RemoteWritePayloads.request()
                .series("node_cpu_seconds_total", 10, T1, node("cpu-1", "cpu", "0", "mode", "idle"))
                .series("node_memory_MemTotal_bytes", 10, T1, node("cpu-1")));

        assertThat(mapping.nodes()).isEmpty();
        assertThat(mapping.rejects()).extracting(bad -> bad.rejected().field())
                .containsExactly("node_network_receive_bytes_total");
    }

    @Test
    void seriesOfARegionTheSenderMayNotWriteForAreRejectedSampleBySample() throws Exception {
        RemoteWritePayloads payload = RemoteWritePayloads.request()
                .series("DCGM_FI_DEV_GPU_UTIL", 40, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_FB_USED", 10_000, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_FB_FREE", 30_960, T1, gpu("a100-1", "0"))
                .series("DCGM_FI_DEV_GPU_UTIL", 40, T1, inRegion(gpu("far-1", "0"), "ap-southeast"))
                .series("DCGM_FI_DEV_FB_USED", 10_000, T1, inRegion(gpu("far-1", "0"), "ap-southeast"))
                .series("probe_duration_seconds", 0.01, T1, "source_region", "us-east", "target_region", "ap-southeast")
                .series("probe_duration_seconds", 0.01, T1, "source_region", "ap-southeast", "target_region", "us-east");

        RemoteWriteMapper.Mapping mapping = mapper.map(decode(payload), RegionPermit.only(Set.of("us-east")));

        assertThat(mapping.nodes()).extracting(NodeSeriesSample::nodeId).containsExactly("a100-1");
        assertThat(mapping.probes()).extracting(LatencyProbe::key).containsExactly("us-east/ap-southeast");
        assertThat(mapping.rejects()).extracting(bad -> bad.nodeId() + ":" + bad.rejected().field() + ":"
                        + bad.rejected().rule())
                .containsExactly("far-1:region:region-not-permitted", "far-1:region:region-not-permitted",
                        "null:source_region:region-not-permitted");
        assertThat(mapping.rejects().get(0).rejected().reason()).contains("ap-southeast").contains("us-east");
        assertThat(new String(mapping.rejects().get(0).document(), StandardCharsets.UTF_8))
                .contains("\"region\":\"ap-southeast\"");
        assertThat(mapper.map(decode(payload), RegionPermit.ALL).rejects()).as("every region, e.g. an admin of *")
                .extracting(bad -> bad.rejected().rule()).doesNotContain(RegionPermit.RULE);
    }

    @Test
    void undecodablePayloadsFailTheRequest() throws Exception {
        assertThatThrownBy(() -> RemoteWriteIntake.decompress("plain text".getBytes(StandardCharsets.UTF_8), 1 << 20))
                .isInstanceOf(IntakeException.class)
                .satisfies(e -> assertThat(((IntakeException) e).kind()).isEqualTo(IntakeException.Kind.UNPARSEABLE));
        byte[] notProtobuf = RemoteWriteIntake.decompress(org.xerial.snappy.Snappy.compress(
                "this is not protobuf".getBytes(StandardCharsets.UTF_8)), 1 << 20);
        assertThatThrownBy(() -> WriteRequestDecoder.decode(notProtobuf)).isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void refusesPayloadsThatInflateBeyondTheLimit() throws Exception {
        byte[] zeros = org.xerial.snappy.Snappy.compress(new byte[2 << 20]);

        assertThatThrownBy(() -> RemoteWriteIntake.decompress(zeros, 1 << 20))
                .satisfies(e -> assertThat(((IntakeException) e).kind()).isEqualTo(IntakeException.Kind.TOO_LARGE));
    }

    private RemoteWriteMapper.Mapping map(RemoteWritePayloads payload) throws InvalidProtocolBufferException {
        return mapper.map(decode(payload), RegionPermit.ALL);
    }

    private static List<WriteRequestDecoder.TimeSeries> decode(RemoteWritePayloads payload)
            throws InvalidProtocolBufferException {
        return WriteRequestDecoder.decode(RemoteWriteIntake.decompress(payload.snappy(), 32 << 20));
    }

    /** {@code labels} with its region (and zone) replaced. */
    private static String[] inRegion(String[] labels, String region) {
        String[] moved = labels.clone();
        for (int i = 0; i < moved.length; i += 2) {
            if (moved[i].equals("region")) {
                moved[i + 1] = region;
            } else if (moved[i].equals("zone")) {
                moved[i + 1] = region + "-1a";
            }
        }
        return moved;
    }

    /** One node_exporter scrape of a 2-CPU node with lo and eth0. */
    private static RemoteWritePayloads nodeExporter(RemoteWritePayloads payload, long t, double cpuTotal, double idle,
            double rx, double tx) {
        return payload
                .series("node_cpu_seconds_total", idle / 2, t, node("a100-1", "cpu", "0", "mode", "idle"))
                .series("node_cpu_seconds_total", idle / 2, t, node("a100-1", "cpu", "1", "mode", "idle"))
                .series("node_cpu_seconds_total", cpuTotal - idle, t, node("a100-1", "cpu", "0", "mode", "user"))
                .series("node_cpu_seconds_total", 123, t, node("a100-1", "cpu", "0", "mode", "guest"))
                .series("node_network_receive_bytes_total", rx, t, node("a100-1", "device", "eth0"))
                .series("node_network_receive_bytes_total", 9e12, t, node("a100-1", "device", "lo"))
                .series("node_network_transmit_bytes_total", tx, t, node("a100-1", "device", "eth0"))
                .series("node_network_transmit_bytes_total", 9e12, t, node("a100-1", "device", "lo"))
                .series("node_memory_MemAvailable_bytes", 16e9, t, node("a100-1"))
                .series("node_memory_MemTotal_bytes", 64e9, t, node("a100-1"));
    }

    private static String[] gpu(String nodeId, String gpu) {
        return new String[] {"Hostname", nodeId, "gpu", gpu, "UUID", "GPU-" + gpu, "region", "us-east", "zone",
            "us-east-1a", "pool", "llm-a100", "tier", "core-gpu", "instance_type", "p4d.24xlarge", "capacity_type",
            "on-demand"};
    }

    private static String[] node(String nodeId, String... extra) {
        String[] base = {"node", nodeId, "instance", "10.0.0.1:9100", "region", "us-east", "zone", "us-east-1a", "pool",
            "llm-a100", "tier", "CORE_GPU", "instance_type", "p4d.24xlarge", "capacity_type", "ON_DEMAND"};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    private static final double MEM_AVAILABLE = 48e9;
    private static final double MEM_TOTAL = 64e9;

    /**
     * The target labels of a node's exporters after the README's relabeling: node and pool set, the node's Kubernetes
     * labels through labelmap (region and zone from topology.kubernetes.io/*), plus {@code extra}.
     */
    private static String[] k8sTarget(String nodeId, String... extra) {
        return with(new String[] {"node", nodeId, "instance", nodeId, "pool", "llm-a100",
            "topology_kubernetes_io_region", "us-east-1", "topology_kubernetes_io_zone", "us-east-1a",
            "kubernetes_io_os", "linux"}, extra);
    }

    /** {@code target} plus DCGM's own labels of one GPU (dcgm-exporter's Hostname is its pod's name). */
    private static String[] dcgmLabels(String[] target, String gpu) {
        return with(target, "gpu", gpu, "UUID", "GPU-" + gpu, "device", "nvidia" + gpu, "modelName",
                "NVIDIA A100-SXM4-80GB", "Hostname", "nvidia-dcgm-exporter-x7k2p", "DCGM_FI_DRIVER_VERSION", "550.54.15");
    }

    /** One GPU's DCGM series of one scrape. */
    private static RemoteWritePayloads dcgm(RemoteWritePayloads payload, String[] target, long t, double util,
            long usedMiB, long freeMiB) {
        String[] labels = dcgmLabels(target, "0");
        return payload
                .series("DCGM_FI_DEV_GPU_UTIL", util, t, labels)
                .series("DCGM_FI_DEV_FB_USED", usedMiB, t, labels)
                .series("DCGM_FI_DEV_FB_FREE", freeMiB, t, labels);
    }

    /** One node_exporter scrape of a 1-CPU node with eth0, labelled {@code target}. */
    private static RemoteWritePayloads nodeExporter(RemoteWritePayloads payload, String[] target, long t, double busy,
            double idle, double rx, double tx) {
        return payload
                .series("node_cpu_seconds_total", idle, t, with(target, "cpu", "0", "mode", "idle"))
                .series("node_cpu_seconds_total", busy, t, with(target, "cpu", "0", "mode", "user"))
                .series("node_network_receive_bytes_total", rx, t, with(target, "device", "eth0"))
                .series("node_network_transmit_bytes_total", tx, t, with(target, "device", "eth0"))
                .series("node_memory_MemAvailable_bytes", MEM_AVAILABLE, t, target)
                .series("node_memory_MemTotal_bytes", MEM_TOTAL, t, target);
    }

    private static String[] with(String[] labels, String... extra) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + extra.length);
        System.arraycopy(extra, 0, all, labels.length, extra.length);
        return all;
    }

    /** The defaults with other region labels and defaults. */
    private static LabelScheme scheme(List<String> regionLabels, String defaultInstanceType,
            CapacityType defaultCapacityType) {
        LabelScheme d = LabelScheme.defaults();
        return new LabelScheme(d.nodeLabels(), regionLabels, d.zoneLabels(), d.poolLabels(), d.tierLabels(),
                d.instanceTypeLabels(), d.capacityTypeLabels(), d.gpuModel(), d.gpuNodeLabels(), defaultInstanceType,
                defaultCapacityType, d.gpu(), d.excludedDevices(), d.probeSource(), d.probeTarget(),
                d.probeSourceName());
    }

    /** The NodeMetric the Kafka intake makes of two consecutive readings of one node. */
    private static NodeMetric rates(NodeSeriesSample first, NodeSeriesSample second) {
        try (TopologyTestDriver driver = rawIntake()) {
            var raw = driver.createInputTopic(TopicCatalog.METRICS_RAW, new ByteArraySerializer(), new ByteArraySerializer());
            var out = driver.createOutputTopic(TopicCatalog.METRICS_NODE, new StringDeserializer(), new ByteArrayDeserializer());
            for (NodeSeriesSample sample : List.of(first, second)) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(RawFormat.HEADER, RawFormat.PROMETHEUS_NODE.headerValue());
                raw.pipeInput(new TestRecord<>(sample.nodeId().getBytes(StandardCharsets.UTF_8),
                        ContractJson.write(sample), headers, sample.timestamp()));
            }
            List<NodeMetric> metrics = out.readValuesToList().stream()
                    .map(bytes -> ContractJson.read(bytes, NodeMetric.class)).toList();
            assertThat(metrics).as("the first reading only primes").hasSize(1);
            return metrics.get(0);
        }
    }

    private static TopologyTestDriver rawIntake() {
        StreamsBuilder builder = new StreamsBuilder();
        RawIntake.addTo(builder, new RawIntake.Settings(
                new SampleValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(5)),
                new MicrometerIntakeMetrics(new SimpleMeterRegistry()), "/test", Duration.ofMinutes(2))
                .withNodeTopicTap(true));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "remote-write-rates");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(builder.build(), props, NOW);
    }
}
