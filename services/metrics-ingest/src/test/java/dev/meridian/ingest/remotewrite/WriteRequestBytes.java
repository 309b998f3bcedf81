package dev.meridian.ingest.remotewrite;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.Snappy;

/**
 * WriteRequests of a given shape, encoded with protobuf's {@link CodedOutputStream} (fast enough for tens of
 * thousands of series, unlike building each as a message): {@code series} series named {@code up}, each with
 * {@code labels} labels ({@code __name__} and {@code l1}, {@code l2}, ...) and {@code samples} samples.
 */
public final class WriteRequestBytes {

    private WriteRequestBytes() {
    }

    public static byte[] protobuf(int series, int labels, int samples) {
        byte[] one = series(labels, samples);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CodedOutputStream request = CodedOutputStream.newInstance(out);
            for (int i = 0; i < series; i++) {
                request.writeByteArray(1, one);
            }
            request.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Snappy block format, as Prometheus sends it. */
    public static byte[] snappy(int series, int labels, int samples) {
        try {
            return Snappy.compress(protobuf(series, labels, samples));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] series(int labels, int samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CodedOutputStream series = CodedOutputStream.newInstance(out);
            for (int i = 0; i < labels; i++) {
                series.writeByteArray(1, label(i == 0 ? "__name__" : "l" + i, i == 0 ? "up" : "v"));
            }
            for (int i = 0; i < samples; i++) {
                series.writeByteArray(2, sample(1, 1_700_000_000_000L + i));
            }
            series.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] label(String name, String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream label = CodedOutputStream.newInstance(out);
        label.writeString(1, name);
        label.writeString(2, value);
        label.flush();
        return out.toByteArray();
    }

    private static byte[] sample(double value, long timestampMillis) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream sample = CodedOutputStream.newInstance(out);
        sample.writeDouble(1, value);
        sample.writeInt64(2, timestampMillis);
        sample.flush();
        return out.toByteArray();
    }
}
