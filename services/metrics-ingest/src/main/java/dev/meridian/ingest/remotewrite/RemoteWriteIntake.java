package dev.meridian.ingest.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.ingest.config.IngestConfig;
import dev.meridian.ingest.intake.Acks;
import dev.meridian.ingest.intake.DeadLetterBudget;
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
 * topic (rates are the Kafka intake's job), probes to the latency topic and bad samples to the DLQ. Bounded per
 * request: the decompressed size, then series, labels per series and samples while decoding
 * ({@link WriteRequestDecoder.Limits}), and at most {@code http.max-dead-letters-per-request} DLQ records
 * ({@link DeadLetterBudget}).
 */
@ApplicationScoped
public class RemoteWriteIntake {

    private final RemoteWriteMapper mapper;
    private final IntakePublisher publisher;
    private final IntakeMetrics metrics;
    private final Duration deliveryTimeout;
    private final long maxDecompressedBytes;
    private final WriteRequestDecoder.Limits limits;
    private final int maxDeadLetters;

    RemoteWriteIntake(IntakePublisher publisher, IntakeMetrics metrics, IngestConfig config) {
        this.mapper = new RemoteWriteMapper(LabelScheme.from(config.remoteWrite()));
        this.publisher = publisher;
        this.metrics = metrics;
        this.deliveryTimeout = config.intake().deliveryTimeout();
        this.maxDecompressedBytes = config.remoteWrite().maxDecompressedSize().asLongValue();
        this.limits = new WriteRequestDecoder.Limits(config.remoteWrite().maxSeriesPerRequest(),
                config.remoteWrite().maxLabelsPerSeries(), config.remoteWrite().maxSamplesPerRequest());
        this.maxDeadLetters = config.http().maxDeadLettersPerRequest();
    }

    /**
     * Accepts one snappy-compressed WriteRequest and returns once everything derived from it is acknowledged.
     * Samples of a region {@code permit} does not cover are dead-lettered ({@value RegionPermit#RULE}), never published.
     *
     * @throws IntakeException UNPARSEABLE for bytes that are not snappy or not a WriteRequest, TOO_LARGE when it
     *                         would decompress beyond the limit, TOO_MANY above the series or samples limit,
     *                         ITEM_OVER_LIMIT for a series above the labels limit (nothing of such a request is
     *                         published), UNAVAILABLE when the broker did not acknowledge
     */
    public RemoteWriteMapper.Mapping write(byte[] compressed, RegionPermit permit) {
        List<WriteRequestDecoder.TimeSeries> series;
        try {
            series = WriteRequestDecoder.decode(decompress(compressed, maxDecompressedBytes), limits);
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
        DeadLetterBudget deadLetters = new DeadLetterBudget(publisher, Door.REMOTE_WRITE, maxDeadLetters, acks);
        int index = 0;
        for (RemoteWriteMapper.BadSample bad : mapping.rejects()) {
            deadLetters.deadLetter(index++, bad.nodeId(), bad.document(), bad.rejected());
            metrics.rejected(Door.REMOTE_WRITE, bad.rejected().rule());
        }
        deadLetters.finish();
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
