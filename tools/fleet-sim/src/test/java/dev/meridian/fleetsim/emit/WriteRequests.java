package dev.meridian.fleetsim.emit;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Reads what a remote_write receiver gets, written for the test from Prometheus' remote.proto / types.proto
 * (WriteRequest.timeseries = 1; TimeSeries.labels = 1, samples = 2; Label.name = 1, value = 2; Sample.value = 1
 * double, timestamp = 2 int64), as metrics-ingest's decoder reads it; the tests cannot use ingest's own class.
 */
final class WriteRequests {

    record Series(Map<String, String> labels, List<double[]> samples) {

        String name() {
            return labels.get("__name__");
        }

        /** The only sample's value. */
        double value() {
            if (samples.size() != 1) {
                throw new AssertionError("expected one sample in " + labels + ", got " + samples.size());
            }
            return samples.get(0)[0];
        }

        long timestampMillis() {
            return (long) samples.get(0)[1];
        }
    }

    private WriteRequests() {
    }

    static List<Series> decodeSnappy(byte[] body) {
        try {
            return decode(Snappy.uncompress(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Series> decode(byte[] request) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(request);
        List<Series> series = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                series.add(series(CodedInputStream.newInstance(in.readByteArray())));
            } else {
                in.skipField(tag);
            }
        }
        return series;
    }

    private static Series series(CodedInputStream in) throws IOException {
        Map<String, String> labels = new TreeMap<>();
        List<double[]> samples = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                CodedInputStream label = CodedInputStream.newInstance(in.readByteArray());
                String name = null;
                String value = null;
                for (int t = label.readTag(); t != 0; t = label.readTag()) {
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        name = label.readString();
                    } else {
                        value = label.readString();
                    }
                }
                labels.put(name, value);
            } else if (field == 2) {
                CodedInputStream sample = CodedInputStream.newInstance(in.readByteArray());
                double value = 0;
                long timestamp = 0;
                for (int t = sample.readTag(); t != 0; t = sample.readTag()) {
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        value = sample.readDouble();
                    } else {
                        timestamp = sample.readInt64();
                    }
                }
                samples.add(new double[] {value, timestamp});
            } else {
                in.skipField(tag);
            }
        }
        return new Series(labels, samples);
    }
}
