package dev.meridian.fleetsim.emit;

import dev.meridian.contracts.fleet.Interruption;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.metrics.NodeMetric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * metrics-ingest's Prometheus remote_write door, as a Prometheus agent scraping DCGM exporter, node_exporter and
 * blackbox exporter on every node would feed it: each tick one snappy-compressed WriteRequest
 * ({@link NodeExporterSeries}) to {@code POST /api/v1/write}, every node's whole scrape in that one request as
 * ingest requires. Spot notices have no Prometheus series; they go to {@code POST /v1/interruptions} as a
 * node-termination handler would send them.
 */
public final class RemoteWriteSink implements SampleSink {

    static final String WRITE_PATH = "/api/v1/write";
    static final Map<String, String> HEADERS = Map.of("Content-Encoding", "snappy",
            "Content-Type", "application/x-protobuf", "X-Prometheus-Remote-Write-Version", "0.1.0");
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final URI write;
    private final URI interruptions;
    private final OrderedPoster poster;
    private final Emission emission;
    private final NodeExporterSeries series = new NodeExporterSeries();

    public RemoteWriteSink(Emission emission) {
        this.write = emission.endpoint(WRITE_PATH);
        this.interruptions = emission.endpoint(HttpSink.INTERRUPTIONS_PATH);
        this.poster = new OrderedPoster(emission.requestTimeout(), emission.maxPending());
        this.emission = emission;
    }

    @Override
    public void emit(Instant at, List<NodeMetric> samples, List<Interruption> notices, List<LatencyProbe> probes) {
        if (!samples.isEmpty() || !probes.isEmpty()) {
            poster.post(write, emission.headers(HEADERS),
                    snappy(WriteRequestEncoder.encode(series.tick(samples, probes))));
        }
        if (!notices.isEmpty()) {
            poster.post(interruptions, emission.headers(JSON), HttpSink.jsonArray(notices));
        }
    }

    /** Snappy's block format (not the framed one), as remote_write specifies. */
    private static byte[] snappy(byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long failures() {
        return poster.failures();
    }

    @Override
    public String lastFailure() {
        return poster.lastFailure();
    }

    @Override
    public void close() {
        poster.close();
    }
}
