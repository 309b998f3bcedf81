package dev.meridian.fleetsim.emit;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a Prometheus remote_write 1.0 {@code prometheus.WriteRequest} with protobuf's {@link CodedOutputStream}:
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // ms since the epoch
 * </pre>
 * By hand, as metrics-ingest reads it: the 1.0 format is frozen and four messages small, and no protoc step is
 * needed.
 */
public final class WriteRequestEncoder {

    /**
     * One series with one sample. Labels are kept sorted by name, as Prometheus sends them ({@code __name__}
     * sorts first among lower-case names).
     */
    public record Series(SortedMap<String, String> labels, double value, long timestampMillis) {

        public Series {
            labels = new TreeMap<>(labels);
        }

        public static Series of(String name, Map<String, String> labels, double value, long timestampMillis) {
            SortedMap<String, String> all = new TreeMap<>(labels);
            all.put("__name__", name);
            return new Series(all, value, timestampMillis);
        }

        public String name() {
            return labels.get("__name__");
        }
    }

    private WriteRequestEncoder() {
    }

    public static byte[] encode(List<Series> series) {
        return message(out -> {
            for (Series one : series) {
                out.writeByteArray(1, timeSeries(one));
            }
        });
    }

    private static byte[] timeSeries(Series series) throws IOException {
        return message(out -> {
            for (Map.Entry<String, String> label : series.labels().entrySet()) {
                out.writeByteArray(1, message(l -> {
                    l.writeString(1, label.getKey());
                    l.writeString(2, label.getValue());
                }));
            }
            out.writeByteArray(2, message(s -> {
                s.writeDouble(1, series.value());
                s.writeInt64(2, series.timestampMillis());
            }));
        });
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
