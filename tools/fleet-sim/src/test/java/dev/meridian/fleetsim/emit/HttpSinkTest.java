package dev.meridian.fleetsim.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpSinkTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    private final RecordingIngest ingest = new RecordingIngest();
    private final ProbeRecorder probes = new ProbeRecorder();

    @AfterEach
    void stop() {
        ingest.close();
    }

    /** Stands in for the Kafka sink the probes go to. */
    private static final class ProbeRecorder implements SampleSink {
        final List<LatencyProbe> probes = new ArrayList<>();
        int otherItems;
        boolean closed;

        @Override
        public void emit(Instant at, List<NodeMetric> samples, List<Interruption> notices, List<LatencyProbe> list) {
            probes.addAll(list);
            otherItems += samples.size() + notices.size();
        }

        @Override
        public long failures() {
            return 0;
        }

        @Override
        public String lastFailure() {
            return null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static NodeMetric sample(String node, Instant at, double load) {
        return new NodeMetric(node, "eu-west", "eu-west-a", "gpu-core", Tier.CORE_GPU, "g5.48xlarge",
                CapacityType.ON_DEMAND, at, 8, load, 100_000, 196_608, 8 + 0.2 * load, 40 + 0.2 * load, 4000, 4000, 1.5,
                load);
    }

    @Test
    void samples_go_as_one_json_array_per_tick_notices_to_the_interruptions_door_and_probes_stay_on_kafka() {
        ingest.answer(202);
        List<NodeMetric> tick = List.of(sample("eu-west-gpu-core-0001", T0, 61.5), sample("eu-west-gpu-core-0002",
                T0, 12));
        Interruption notice = new Interruption("eu-west-gpu-core-0002", "eu-west", "gpu-core", T0,
                T0.plusSeconds(120), "fleet-sim");
        LatencyProbe probe = new LatencyProbe("eu-west", "eu-central", 10.2, T0, "fleet-sim");
        HttpSink sink = new HttpSink(Emission.of(Emission.Kind.HTTP, URI.create(ingest.url() + "/")), probes);
        try (sink) {
            sink.emit(T0, tick, List.of(notice), List.of(probe));
            await().atMost(Duration.ofSeconds(10)).until(() -> ingest.requests().size() == 2);
        }
        assertThat(sink.failures()).isZero();
        assertThat(probes.closed).isTrue();
        List<RecordingIngest.Request> metrics = ingest.requests("/v1/metrics");
        assertThat(metrics).hasSize(1);
        assertThat(metrics.get(0).method()).isEqualTo("POST");
        assertThat(metrics.get(0).headers()).containsEntry("content-type", "application/json");
        assertThat(ContractJson.read(metrics.get(0).body(), NodeMetric[].class)).containsExactlyElementsOf(tick);
        List<RecordingIngest.Request> notices = ingest.requests("/v1/interruptions");
        assertThat(notices).hasSize(1);
        assertThat(ContractJson.read(notices.get(0).body(), Interruption[].class)).containsExactly(notice);
        assertThat(probes.probes).containsExactly(probe);
        assertThat(probes.otherItems).isZero();
    }

    @Test
    void every_request_carries_a_freshly_asked_bearer_token() {
        ingest.answer(202);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Emission emission = Emission.of(Emission.Kind.HTTP, ingest.url())
                .withBearerToken(() -> "token-" + asked.incrementAndGet());
        try (HttpSink sink = new HttpSink(emission, probes)) {
            sink.emit(T0, List.of(sample("eu-west-gpu-core-0001", T0, 50)), List.of(), List.of());
            sink.emit(T0.plusSeconds(1), List.of(sample("eu-west-gpu-core-0001", T0.plusSeconds(1), 51)), List.of(),
                    List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> ingest.requests().size() == 2);
        }
        assertThat(ingest.requests("/v1/metrics")).extracting(r -> r.headers().get("authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2");
    }

    @Test
    void error_answers_and_a_missing_ingest_are_counted_not_thrown() {
        ingest.answer(503);
        try (HttpSink sink = new HttpSink(Emission.of(Emission.Kind.HTTP, ingest.url()), probes)) {
            sink.emit(T0, List.of(sample("n-1", T0, 50)), List.of(), List.of());
            sink.emit(T0.plusSeconds(1), List.of(sample("n-1", T0.plusSeconds(1), 50)), List.of(), List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.failures() == 2);
            assertThat(sink.lastFailure()).startsWith("POST /v1/metrics answered 503");
        }
        URI closedPort = ingest.url();
        ingest.close();
        try (HttpSink sink = new HttpSink(Emission.of(Emission.Kind.HTTP, closedPort), probes)) {
            sink.emit(T0, List.of(sample("n-1", T0, 50)), List.of(), List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.failures() == 1);
            assertThat(sink.lastFailure()).startsWith("POST /v1/metrics failed");
        }
    }

    @Test
    void a_slow_ingest_costs_dropped_ticks_and_timeouts_never_a_blocked_tick() throws Exception {
        ingest.answer(202);
        CountDownLatch release = ingest.holdAnswers();
        Emission emission = Emission.of(Emission.Kind.HTTP, ingest.url()).withLimits(Duration.ofMillis(300), 1);
        try (HttpSink sink = new HttpSink(emission, probes)) {
            sink.emit(T0, List.of(sample("n-1", T0, 50)), List.of(), List.of());
            // The first request hangs in the server; a second tick has no room and is dropped at once.
            sink.emit(T0.plusSeconds(1), List.of(sample("n-1", T0.plusSeconds(1), 50)), List.of(), List.of());
            assertThat(sink.failures()).isEqualTo(1);
            assertThat(sink.lastFailure()).contains("dropped", "1 earlier requests still pending");
            // The hanging one times out after 300 ms and counts too; then there is room again.
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.failures() == 2);
            assertThat(sink.lastFailure()).contains("HttpTimeoutException");
            release.countDown();
            sink.emit(T0.plusSeconds(2), List.of(sample("n-1", T0.plusSeconds(2), 50)), List.of(), List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> ingest.requests("/v1/metrics").size() == 2);
        }
        assertThat(ingest.requests("/v1/metrics")).hasSize(2);
    }
}
