package dev.meridian.fleetsim.emit;

import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * metrics-ingest's HTTP door, as a node agent would use it: each tick one JSON array of the tick's NodeMetric
 * samples to {@code POST /v1/metrics} and the spot notices to {@code POST /v1/interruptions}. Ingest has no HTTP
 * door for latency probes (only remote_write's {@code probe_duration_seconds}), so probes go to {@code probes}.
 */
public final class HttpSink implements SampleSink {

    static final String METRICS_PATH = "/v1/metrics";
    static final String INTERRUPTIONS_PATH = "/v1/interruptions";
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final URI metrics;
    private final URI interruptions;
    private final OrderedPoster poster;
    private final Emission emission;
    private final SampleSink probes;

    /** @param probes where latency probes go (the Kafka sink); closed with this sink */
    public HttpSink(Emission emission, SampleSink probes) {
        this.metrics = emission.endpoint(METRICS_PATH);
        this.interruptions = emission.endpoint(INTERRUPTIONS_PATH);
        this.poster = new OrderedPoster(emission.requestTimeout(), emission.maxPending());
        this.emission = emission;
        this.probes = probes;
    }

    @Override
    public void emit(Instant at, List<NodeMetric> samples, List<Interruption> notices, List<LatencyProbe> probeList) {
        if (!samples.isEmpty()) {
            poster.post(metrics, emission.headers(JSON), jsonArray(samples));
        }
        if (!notices.isEmpty()) {
            poster.post(interruptions, emission.headers(JSON), jsonArray(notices));
        }
        if (!probeList.isEmpty()) {
            probes.emit(at, List.of(), List.of(), probeList);
        }
    }

    /** Each element through {@link ContractJson#write}, so an invalid sample fails here as it would on Kafka. */
    static byte[] jsonArray(List<?> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(ContractJson.write(values.get(i)));
        }
        out.write(']');
        return out.toByteArray();
    }

    @Override
    public long failures() {
        return poster.failures() + probes.failures();
    }

    @Override
    public String lastFailure() {
        return poster.lastFailure() != null ? poster.lastFailure() : probes.lastFailure();
    }

    @Override
    public void close() {
        try {
            poster.close();
        } finally {
            probes.close();
        }
    }
}
