package dev.meridian.ingest.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.Acks;
import dev.meridian.ingest.intake.Door;
import dev.meridian.ingest.intake.IntakeException;
import dev.meridian.ingest.intake.IntakeMetrics;
import dev.meridian.ingest.intake.IntakePublisher;
import dev.meridian.ingest.intake.RawFormat;
import dev.meridian.ingest.intake.RegionPermit;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xerial.snappy.Snappy;

/**
 * The remote_write door behind its resource: snappy, protobuf, mapping, then publishing node readings to the raw
 * topic (rates are the Kafka intake's job), probes to the latency topic and bad samples to the DLQ.
 */
@ApplicationScoped
public class RemoteWriteIntake {

    private final RemoteWriteMapper mapper;
    private final IntakePublisher publisher;
    private final IntakeMetrics metrics;
    private final Duration deliveryTimeout;
    private final long maxDecompressedBytes;

    RemoteWriteIntake(IntakePublisher publisher, IntakeMetrics metrics, IngestConfig config) {
        this.mapper = new RemoteWriteMapper(LabelScheme.from(config.remoteWrite()));
        this.publisher = publisher;
        this.metrics = metrics;
        this.deliveryTimeout = config.intake().deliveryTimeout();
        this.maxDecompressedBytes = config.remoteWrite().maxDecompressedSize().asLongValue();
    }

    /**
     * Accepts one snappy-compressed WriteRequest and returns once everything derived from it is acknowledged.
     * Samples of a region {@code permit} does not cover are dead-lettered ({@value RegionPermit#RULE}), never published.
     *
     * @throws IntakeException UNPARSEABLE for bytes that are not snappy or not a WriteRequest, TOO_LARGE when it
     *                         would decompress beyond the limit, UNAVAILABLE when the broker did not acknowledge
     */
    public RemoteWriteMapper.Mapping write(byte[] compressed, RegionPermit permit) {
        List<WriteRequestDecoder.TimeSeries> series;
        try {
            series = WriteRequestDecoder.decode(decompress(compressed, maxDecompressedBytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IntakeException(IntakeException.Kind.UNPARSEABLE,
                    "not a Prometheus remote_write WriteRequest: " + e.getMessage(), e);
        }
        RemoteWriteMapper.Mapping mapping = mapper.map(series, permit);
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (NodeSeriesSample sample : mapping.nodes()) {
            acks.add(Acks.failFast(publisher.raw(sample.nodeId(), sample.timestamp(), ContractJson.write(sample),
                    RawFormat.PROMETHEUS_NODE)));
            metrics.accepted(Door.REMOTE_WRITE);
        }
        for (LatencyProbe probe : mapping.probes()) {
            acks.add(Acks.failFast(publisher.latency(probe)));
            metrics.accepted(Door.REMOTE_WRITE);
        }
        for (RemoteWriteMapper.BadSample bad : mapping.rejects()) {
            acks.add(Acks.failFast(publisher.deadLetter(bad.nodeId(), bad.document(), bad.rejected(), Door.REMOTE_WRITE)));
            metrics.rejected(Door.REMOTE_WRITE, bad.rejected().rule());
        }
        Acks.await(acks, deliveryTimeout);
        return mapping;
    }

    /** Snappy block format (not framed), as remote_write 1.0 specifies; checks the size before inflating. */
    static byte[] decompress(byte[] compressed, long maxBytes) {
        try {
            int length = Snappy.uncompressedLength(compressed);
            if (length < 0 || length > maxBytes) {
                throw new IntakeException(IntakeException.Kind.TOO_LARGE,
                        "the WriteRequest decompresses to " + length + " bytes, more than the " + maxBytes + " allowed");
            }
            if (!Snappy.isValidCompressedBuffer(compressed)) {
                throw new IntakeException(IntakeException.Kind.UNPARSEABLE, "the body is not snappy block-compressed");
            }
            return Snappy.uncompress(compressed);
        } catch (IOException e) {
            throw new IntakeException(IntakeException.Kind.UNPARSEABLE,
                    "the body is not snappy block-compressed: " + e.getMessage(), e);
        }
    }
}
