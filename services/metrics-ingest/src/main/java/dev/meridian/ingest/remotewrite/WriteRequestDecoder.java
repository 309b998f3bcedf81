package dev.meridian.ingest.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
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

    private WriteRequestDecoder() {
    }

    /**
     * @throws InvalidProtocolBufferException when the bytes are not a WriteRequest (truncated, wrong wire types,
     *                                        invalid UTF-8 in a label)
     */
    public static List<TimeSeries> decode(byte[] writeRequest) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(writeRequest);
        List<TimeSeries> series = new ArrayList<>();
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (is(tag, WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    series.add(readSeries(in));
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

    private static TimeSeries readSeries(CodedInputStream in) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        List<Sample> samples = new ArrayList<>(1);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (is(tag, TIMESERIES_LABELS, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                readLabel(in, labels);
                in.popLimit(limit);
            } else if (is(tag, TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
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
