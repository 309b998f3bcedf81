package dev.meridian.ingest.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.meridian.ingest.intake.IntakeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Prometheus remote_write 1.0 {@code prometheus.WriteRequest} with protobuf's {@link CodedInputStream}:
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; exemplars = 3; histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // ms since the epoch
 * </pre>
 * Hand-read rather than generated: the 1.0 wire format is frozen and four messages small, everything else
 * (metadata, exemplars, native histograms) is skipped as unknown fields, and the build needs no protoc binary
 * or code-generation plugin.
 *
 * <p>{@link Limits} are checked while reading: decoding stops at the first series, label or sample beyond them, so an
 * abusive request costs at most what the limits allow, whatever its size.
 */
public final class WriteRequestDecoder {

    private static final int WRITE_REQUEST_TIMESERIES = 1;
    private static final int TIMESERIES_LABELS = 1;
    private static final int TIMESERIES_SAMPLES = 2;
    private static final int LABEL_NAME = 1;
    private static final int LABEL_VALUE = 2;
    private static final int SAMPLE_VALUE = 1;
    private static final int SAMPLE_TIMESTAMP = 2;

    /** One series: its labels (including {@code __name__}) and its samples. */
    public record TimeSeries(Map<String, String> labels, List<Sample> samples) {

        public String name() {
            return labels.get("__name__");
        }
    }

    public record Sample(double value, long timestampMillis) {
    }

    /**
     * Bounds on one WriteRequest ({@code meridian.ingest.remote-write.*}).
     *
     * @param maxSeries          series per request; more: {@link IntakeException.Kind#TOO_MANY} (413)
     * @param maxLabelsPerSeries labels of one series, {@code __name__} included; more:
     *                           {@link IntakeException.Kind#ITEM_OVER_LIMIT} (400)
     * @param maxSamples         samples per request, over all series; more: {@link IntakeException.Kind#TOO_MANY}
     */
    public record Limits(int maxSeries, int maxLabelsPerSeries, int maxSamples) {

        /** No bound but the int range: for tests of the mapping. */
        public static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    private WriteRequestDecoder() {
    }

    /** {@link #decode(byte[], Limits)} without limits. */
    public static List<TimeSeries> decode(byte[] writeRequest) throws InvalidProtocolBufferException {
        return decode(writeRequest, Limits.NONE);
    }

    /**
     * @throws InvalidProtocolBufferException when the bytes are not a WriteRequest (truncated, wrong wire types,
     *                                        invalid UTF-8 in a label)
     * @throws IntakeException                TOO_MANY above {@code maxSeries} or {@code maxSamples}, ITEM_OVER_LIMIT
     *                                        for a series above {@code maxLabelsPerSeries}
     */
    public static List<TimeSeries> decode(byte[] writeRequest, Limits limits) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(writeRequest);
        List<TimeSeries> series = new ArrayList<>();
        int[] samples = {0};
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (is(tag, WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    if (series.size() == limits.maxSeries()) {
                        throw new IntakeException(IntakeException.Kind.TOO_MANY, "the WriteRequest holds more than "
                                + limits.maxSeries() + " series, the most one request may hold "
                                + "(meridian.ingest.remote-write.max-series-per-request): send smaller batches "
                                + "(queue_config.max_samples_per_send)");
                    }
                    int limit = in.pushLimit(in.readRawVarint32());
                    series.add(readSeries(in, series.size(), limits, samples));
                    in.popLimit(limit);
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
        return series;
    }

    /** {@code total}: the samples of the request so far, this series' included. */
    private static TimeSeries readSeries(CodedInputStream in, int index, Limits limits, int[] total)
            throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>(1);
        int labelCount = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (is(tag, TIMESERIES_LABELS, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                if (++labelCount > limits.maxLabelsPerSeries()) {
                    throw new IntakeException(IntakeException.Kind.ITEM_OVER_LIMIT, "the series at index " + index
                            + " of the WriteRequest has more than " + limits.maxLabelsPerSeries()
                            + " labels, the most one series may carry "
                            + "(meridian.ingest.remote-write.max-labels-per-series): drop labels in relabeling");
                }
                int limit = in.pushLimit(in.readRawVarint32());
                readLabel(in, labels);
                in.popLimit(limit);
            } else if (is(tag, TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                if (++total[0] > limits.maxSamples()) {
                    throw new IntakeException(IntakeException.Kind.TOO_MANY, "the WriteRequest holds more than "
                            + limits.maxSamples() + " samples, the most one request may hold "
                            + "(meridian.ingest.remote-write.max-samples-per-request): send smaller batches "
                            + "(queue_config.max_samples_per_send)");
                }
                int limit = in.pushLimit(in.readRawVarint32());
                samples.add(readSample(in));
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        return new TimeSeries(Collections.unmodifiableMap(labels), List.copyOf(samples));
    }

    private static void readLabel(CodedInputStream in, Map<String, String> labels) throws IOException {
        String name = "";
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (is(tag, LABEL_NAME, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                name = in.readStringRequireUtf8();
            } else if (is(tag, LABEL_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                value = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        labels.put(name, value);
    }

    private static Sample readSample(CodedInputStream in) throws IOException {
        double value = 0;
        long timestamp = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (is(tag, SAMPLE_VALUE, WireFormat.WIRETYPE_FIXED64)) {
                value = in.readDouble();
            } else if (is(tag, SAMPLE_TIMESTAMP, WireFormat.WIRETYPE_VARINT)) {
                timestamp = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        return new Sample(value, timestamp);
    }

    private static boolean is(int tag, int field, int wireType) {
        return WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == wireType;
    }
}
