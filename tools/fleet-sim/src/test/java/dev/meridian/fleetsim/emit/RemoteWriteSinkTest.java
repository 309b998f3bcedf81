package dev.meridian.fleetsim.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.fleetsim.emit.WriteRequests.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteWriteSinkTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant T1 = T0.plusMillis(1500);
    private static final long GPU_TOTAL_MIB = 4 * 24_576;

    private final RecordingIngest ingest = new RecordingIngest();

    @AfterEach
    void stop() {
        ingest.close();
    }

    private static NodeMetric gpuNode(Instant at, double load, long usedMiB, double cpu, double mem, double rx,
            double tx) {
        return new NodeMetric("us-east-gpu-core-0001", "us-east", "us-east-a", "gpu-core", Tier.CORE_GPU,
                "g5.12xlarge", CapacityType.SPOT, at, 4, load, usedMiB, GPU_TOTAL_MIB, cpu, mem, rx, tx, 2.0, load);
    }

    private static NodeMetric edgeNode(Instant at, double cpu, double mem) {
        return new NodeMetric("us-east-cpu-edge-0001", "us-east", "us-east-b", "cpu-edge", Tier.EDGE_CPU,
                "c7i.2xlarge", CapacityType.ON_DEMAND, at, 0, 0, 0, 0, cpu, mem, 1000, 1000, 0.0, null);
    }

    @Test
    void each_tick_is_one_snappy_write_request_with_dcgm_node_exporter_and_probe_series_as_ingest_reads_them() {
        try (RemoteWriteSink sink = new RemoteWriteSink(Emission.of(Emission.Kind.REMOTE_WRITE, ingest.url()))) {
            sink.emit(T0, List.of(gpuNode(T0, 73, 77_857, 22.6, 54.6, 4000, 2000), edgeNode(T0, 50, 45)), List.of(),
                    List.of(new LatencyProbe("eu-west", "ap-southeast", 239.0, T0, "fleet-sim")));
            sink.emit(T1, List.of(gpuNode(T1, 40, 70_000, 16, 48, 8000, 6000), edgeNode(T1, 25, 37.5)),
                    List.of(new Interruption("us-east-gpu-core-0001", "us-east", "gpu-core", T1, T1.plusSeconds(120),
                            "fleet-sim")), List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> ingest.requests().size() == 3);
            assertThat(sink.failures()).isZero();
        }
        List<RecordingIngest.Request> writes = ingest.requests("/api/v1/write");
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0).method()).isEqualTo("POST");
        assertThat(writes.get(0).headers()).containsEntry("content-encoding", "snappy")
                .containsEntry("content-type", "application/x-protobuf")
                .containsEntry("x-prometheus-remote-write-version", "0.1.0");
        List<Series> first = WriteRequests.decodeSnappy(writes.get(0).body());
        List<Series> second = WriteRequests.decodeSnappy(writes.get(1).body());

        // DCGM per GPU: 4 GPUs at 78/68/78/68 around 73 (mean 73); 77,857 MiB used split 19,465 + 3 × 19,464.
        List<Series> util = named(first, "DCGM_FI_DEV_GPU_UTIL");
        assertThat(util).extracting(s -> s.labels().get("gpu")).containsExactly("0", "1", "2", "3");
        assertThat(util).extracting(Series::value).containsExactly(78.0, 68.0, 78.0, 68.0);
        assertThat(util.stream().mapToDouble(Series::value).average().orElseThrow()).isEqualTo(73.0);
        assertThat(named(first, "DCGM_FI_DEV_FB_USED")).extracting(Series::value)
                .containsExactly(19_465.0, 19_464.0, 19_464.0, 19_464.0);
        double used = sum(named(first, "DCGM_FI_DEV_FB_USED"));
        assertThat(used).isEqualTo(77_857.0);
        assertThat(used + sum(named(first, "DCGM_FI_DEV_FB_FREE"))).isEqualTo(98_304.0);
        assertThat(named(second, "DCGM_FI_DEV_GPU_UTIL").stream().mapToDouble(Series::value).average().orElseThrow())
                .isEqualTo(40.0);
        // A CPU-only node has no DCGM series at all.
        assertThat(first).filteredOn(s -> s.name().startsWith("DCGM_"))
                .allSatisfy(s -> assertThat(s.labels()).containsEntry("node", "us-east-gpu-core-0001"));

        // The node's identity in LabelScheme.defaults()'s label names, on every node series.
        assertThat(of(first, "us-east-gpu-core-0001")).hasSize(4 * 3 + 6).allSatisfy(s -> assertThat(s.labels())
                .containsEntry("region", "us-east").containsEntry("zone", "us-east-a")
                .containsEntry("pool", "gpu-core").containsEntry("tier", "CORE_GPU")
                .containsEntry("instance_type", "g5.12xlarge").containsEntry("capacity_type", "SPOT"));
        assertThat(of(first, "us-east-cpu-edge-0001")).hasSize(6)
                .allSatisfy(s -> assertThat(s.labels()).containsEntry("tier", "EDGE_CPU"));
        assertThat(first).allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(T0.toEpochMilli()));
        assertThat(second).allSatisfy(s -> assertThat(s.timestampMillis()).isEqualTo(T1.toEpochMilli()));

        // node_exporter counters start at 0 and grow over the 1.5 s by what the second sample says:
        // CPU 16 % busy → user 0.24 s, idle 1.26 s; rx 8,000 B/s → 12,000 B; tx 6,000 B/s → 9,000 B.
        String gpu = "us-east-gpu-core-0001";
        assertThat(cpu(first, gpu, "idle")).isZero();
        assertThat(cpu(second, gpu, "idle")).isCloseTo(1.26, within(1e-9));
        assertThat(cpu(second, gpu, "user")).isCloseTo(0.24, within(1e-9));
        assertThat(counter(second, gpu, "node_network_receive_bytes_total")).isCloseTo(12_000, within(1e-6));
        assertThat(counter(second, gpu, "node_network_transmit_bytes_total")).isCloseTo(9_000, within(1e-6));
        // The edge node: 25 % busy → user 0.375 s, idle 1.125 s; 1,000 B/s → 1,500 B.
        String edge = "us-east-cpu-edge-0001";
        assertThat(cpu(second, edge, "user")).isCloseTo(0.375, within(1e-9));
        assertThat(cpu(second, edge, "idle")).isCloseTo(1.125, within(1e-9));
        assertThat(counter(second, edge, "node_network_receive_bytes_total")).isCloseTo(1_500, within(1e-6));
        // What ingest makes of the pair: 100 × (Δall − Δidle) / Δall, Δbytes / Δt, 100 × (1 − available / total).
        assertThat(100 * cpu(second, gpu, "user") / (cpu(second, gpu, "user") + cpu(second, gpu, "idle")))
                .isCloseTo(16.0, within(1e-9));
        assertThat(100 * (1 - counter(second, gpu, "node_memory_MemAvailable_bytes")
                / counter(second, gpu, "node_memory_MemTotal_bytes"))).isCloseTo(48.0, within(1e-9));
        assertThat(100 * (1 - counter(second, edge, "node_memory_MemAvailable_bytes")
                / counter(second, edge, "node_memory_MemTotal_bytes"))).isCloseTo(37.5, within(1e-9));
        assertThat(named(second, "node_network_receive_bytes_total"))
                .allSatisfy(s -> assertThat(s.labels()).containsEntry("device", "eth0"));

        // The probe: seconds = ms / 1000 with the source/target labels ingest reads; none in a tick without probes.
        List<Series> probes = named(first, "probe_duration_seconds");
        assertThat(probes).hasSize(1);
        assertThat(probes.get(0).labels()).containsExactlyInAnyOrderEntriesOf(Map.of("__name__",
                "probe_duration_seconds", "source_region", "eu-west", "target_region", "ap-southeast"));
        assertThat(probes.get(0).value()).isCloseTo(0.239, within(1e-12));
        assertThat(named(second, "probe_duration_seconds")).isEmpty();

        // Spot notices have no Prometheus series: they go to the interruptions door as JSON.
        List<RecordingIngest.Request> notices = ingest.requests("/v1/interruptions");
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).headers()).containsEntry("content-type", "application/json");
        assertThat(ContractJson.read(notices.get(0).body(), Interruption[].class)).extracting(Interruption::nodeId)
                .containsExactly("us-east-gpu-core-0001");
    }

    @Test
    void counters_keep_growing_over_many_ticks_and_restart_only_for_a_node_that_went_away() {
        NodeExporterSeries series = new NodeExporterSeries();
        double previousIdle = -1;
        double previousRx = -1;
        for (int i = 0; i < 20; i++) {
            Instant at = T0.plusSeconds(i);
            double load = (i * 37) % 101;
            List<WriteRequestEncoder.Series> out = series.tick(List.of(edgeNode(at, load, 30 + 0.3 * load)),
                    List.of());
            double idle = out.stream().filter(s -> "idle".equals(s.labels().get("mode"))).findFirst().orElseThrow()
                    .value();
            double rx = out.stream().filter(s -> s.name().equals("node_network_receive_bytes_total")).findFirst()
                    .orElseThrow().value();
            if (i > 0) {
                // 1 s at load % busy: idle grows by 1 − load / 100, rx by 1,000 bytes.
                assertThat(idle - previousIdle).isCloseTo(1 - load / 100, within(1e-9));
                assertThat(rx - previousRx).isCloseTo(1000, within(1e-6));
            }
            previousIdle = idle;
            previousRx = rx;
        }
        series.tick(List.of(), List.of());
        List<WriteRequestEncoder.Series> back = series.tick(List.of(edgeNode(T0.plusSeconds(30), 50, 45)), List.of());
        assertThat(back).filteredOn(s -> s.name().equals("node_network_receive_bytes_total"))
                .extracting(WriteRequestEncoder.Series::value).containsExactly(0.0);
    }

    @Test
    void gpu_spread_stays_within_0_and_100_and_averages_to_the_node_value() {
        for (int gpus = 1; gpus <= 8; gpus++) {
            for (double load : new double[] {0, 2.5, 50, 97, 100}) {
                double total = 0;
                for (int gpu = 0; gpu < gpus; gpu++) {
                    double value = NodeExporterSeries.gpuUtil(load, gpu, gpus);
                    assertThat(value).isBetween(0.0, 100.0);
                    total += value;
                }
                assertThat(total / gpus).as("%d GPUs at %s", gpus, load).isCloseTo(load, within(1e-9));
            }
        }
    }

    private static List<Series> named(List<Series> series, String name) {
        return series.stream().filter(s -> s.name().equals(name)).toList();
    }

    private static List<Series> of(List<Series> series, String node) {
        return series.stream().filter(s -> node.equals(s.labels().get("node"))).toList();
    }

    private static double counter(List<Series> series, String node, String name) {
        return named(of(series, node), name).get(0).value();
    }

    private static double cpu(List<Series> series, String node, String mode) {
        return named(of(series, node), "node_cpu_seconds_total").stream()
                .filter(s -> mode.equals(s.labels().get("mode"))).findFirst().orElseThrow().value();
    }

    private static double sum(List<Series> series) {
        return series.stream().mapToDouble(Series::value).sum();
    }
}
