package dev.meridian.ingest.intake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a record on {@code meridian.metrics.raw.v1} holds, named by the {@value #HEADER} header. Agents write
 * NodeMetric JSON without the header; the remote_write door writes per-node Prometheus readings that the
 * Kafka intake turns into rates.
 */
public enum RawFormat {
    /** A NodeMetric JSON document, the default when the header is absent. */
    NODE_METRIC("node-metric"),
    /** A {@link dev.meridian.ingest.remotewrite.NodeSeriesSample}: counters, gauges and per-GPU readings. */
    PROMETHEUS_NODE("prometheus-node");

    public static final String HEADER = "meridian_format";

    private final String value;

    RawFormat(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public byte[] headerValue() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The record's format; empty when the header names one this version does not know. */
    public static Optional<RawFormat> of(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null) {
            return Optional.of(NODE_METRIC);
        }
        String named = new String(header.value(), StandardCharsets.UTF_8);
        return Arrays.stream(values()).filter(format -> format.value.equals(named)).findFirst();
    }
}
