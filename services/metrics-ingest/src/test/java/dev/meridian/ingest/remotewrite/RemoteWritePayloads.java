package dev.meridian.ingest.remotewrite;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Builds remote_write payloads with the protobuf library from a descriptor of Prometheus' remote.proto and
 * types.proto, independent of the hand-written decoder under test, plus a metadata entry the decoder must skip.
 */
public final class RemoteWritePayloads {

    private static final Descriptor WRITE_REQUEST;
    private static final Descriptor TIME_SERIES;
    private static final Descriptor LABEL;
    private static final Descriptor SAMPLE;
    private static final Descriptor METADATA;

    static {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("remote.proto").setPackage("prometheus").setSyntax("proto3")
                .addMessageType(message("WriteRequest",
                        field("timeseries", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.TimeSeries", true),
                        field("metadata", 3, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.MetricMetadata", true)))
                .addMessageType(message("TimeSeries",
                        field("labels", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.Label", true),
                        field("samples", 2, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.Sample", true)))
                .addMessageType(message("Label",
                        field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, null, false),
                        field("value", 2, FieldDescriptorProto.Type.TYPE_STRING, null, false)))
                .addMessageType(message("Sample",
                        field("value", 1, FieldDescriptorProto.Type.TYPE_DOUBLE, null, false),
                        field("timestamp", 2, FieldDescriptorProto.Type.TYPE_INT64, null, false)))
                .addMessageType(message("MetricMetadata",
                        field("type", 1, FieldDescriptorProto.Type.TYPE_INT32, null, false),
                        field("metric_family_name", 2, FieldDescriptorProto.Type.TYPE_STRING, null, false),
                        field("help", 4, FieldDescriptorProto.Type.TYPE_STRING, null, false)))
                .build();
        try {
            FileDescriptor descriptor = FileDescriptor.buildFrom(file, new FileDescriptor[0]);
            WRITE_REQUEST = descriptor.findMessageTypeByName("WriteRequest");
            TIME_SERIES = descriptor.findMessageTypeByName("TimeSeries");
            LABEL = descriptor.findMessageTypeByName("Label");
            SAMPLE = descriptor.findMessageTypeByName("Sample");
            METADATA = descriptor.findMessageTypeByName("MetricMetadata");
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    private final DynamicMessage.Builder request = DynamicMessage.newBuilder(WRITE_REQUEST);

    public static RemoteWritePayloads request() {
        RemoteWritePayloads payloads = new RemoteWritePayloads();
        payloads.request.addRepeatedField(WRITE_REQUEST.findFieldByName("metadata"), DynamicMessage.newBuilder(METADATA)
                .setField(METADATA.findFieldByName("type"), 1)
                .setField(METADATA.findFieldByName("metric_family_name"), "node_cpu_seconds_total")
                .setField(METADATA.findFieldByName("help"), "Seconds the CPUs spent in each mode.")
                .build());
        return payloads;
    }

    /** One series with one sample; {@code labels} alternate name, value. */
    public RemoteWritePayloads series(String name, double value, long timestampMillis, String... labels) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("__name__", name);
        for (int i = 0; i < labels.length; i += 2) {
            all.put(labels[i], labels[i + 1]);
        }
        DynamicMessage.Builder series = DynamicMessage.newBuilder(TIME_SERIES);
        all.forEach((labelName, labelValue) -> series.addRepeatedField(TIME_SERIES.findFieldByName("labels"),
                DynamicMessage.newBuilder(LABEL)
                        .setField(LABEL.findFieldByName("name"), labelName)
                        .setField(LABEL.findFieldByName("value"), labelValue)
                        .build()));
        series.addRepeatedField(TIME_SERIES.findFieldByName("samples"), DynamicMessage.newBuilder(SAMPLE)
                .setField(SAMPLE.findFieldByName("value"), value)
                .setField(SAMPLE.findFieldByName("timestamp"), timestampMillis)
                .build());
        request.addRepeatedField(WRITE_REQUEST.findFieldByName("timeseries"), series.build());
        return this;
    }

    public byte[] protobuf() {
        return request.build().toByteArray();
    }

    /** Snappy block format, as Prometheus sends it. */
    public byte[] snappy() {
        try {
            return Snappy.compress(protobuf());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto field : fields) {
            message.addField(field);
        }
        return message.build();
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type, String typeName,
            boolean repeated) {
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
                .setType(type)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL);
        if (typeName != null) {
            field.setTypeName(typeName);
        }
        return field.build();
    }
}
