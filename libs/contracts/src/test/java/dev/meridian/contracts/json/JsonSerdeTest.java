package dev.meridian.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.ContractType;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.metrics.NodeMetric;
import dev.meridian.contracts.scaling.ScaleCommand;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.contracts.validation.ContractViolationException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JsonSerdeTest {

    @ParameterizedTest
    @EnumSource(ContractType.class)
    @SuppressWarnings({"unchecked", "rawtypes"})
    void serdeRoundTripsEveryContractOnItsTopic(ContractType type) {
        Serde serde = ContractSerdes.of(type.recordClass());
        Object sample = ContractSamples.sample(type);

        byte[] bytes = serde.serializer().serialize(type.topic(), new RecordHeaders(), sample);
        Object read = serde.deserializer().deserialize(type.topic(), new RecordHeaders(), bytes);

        assertThat(read).isEqualTo(sample);
    }

    @Test
    void tombstonesPassThroughAsNull() {
        JsonSerde<ScaleCommand> serde = ContractSerdes.scaleCommand();

        assertThat(serde.serializer().serialize(TopicCatalog.SCALING_COMMANDS, null)).isNull();
        assertThat(serde.deserializer().deserialize(TopicCatalog.SCALING_COMMANDS, null)).isNull();
    }

    @Test
    void deserializerWrapsTheContractViolationInKafkasSerializationException() {
        byte[] corrupt = JsonTrees.set(ContractSamples.nodeMetric(), "gpuUtil", "4294967295")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ContractSerdes.nodeMetric().deserializer().deserialize(TopicCatalog.METRICS_NODE,
                corrupt))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TopicCatalog.METRICS_NODE)
                .cause()
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.field()).isEqualTo("gpuUtil");
                    assertThat(e.rule()).isEqualTo("range");
                });
    }

    @Test
    void serializerRefusesAnInvalidValue() {
        NodeMetric corrupt = JsonTrees.with(ContractSamples.nodeMetric(), "cpuUtil", "101");

        assertThatThrownBy(() -> ContractSerdes.nodeMetric().serializer().serialize(TopicCatalog.METRICS_NODE,
                corrupt))
                .isInstanceOf(SerializationException.class)
                .hasCauseInstanceOf(ContractViolationException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void valueDeserializerBuiltByClassNameReadsTheTypeFromConfig() throws Exception {
        Deserializer<Object> deserializer = Utils.newInstance(JsonDeserializer.class.getName(), Deserializer.class);
        deserializer.configure(Map.of(JsonDeserializer.VALUE_TYPE_CONFIG, NodeMetric.class.getName()), false);
        NodeMetric sample = ContractSamples.nodeMetric();

        Object read = deserializer.deserialize(TopicCatalog.METRICS_NODE, ContractJson.write(sample));

        assertThat(read).isEqualTo(sample);
    }

    @Test
    void keyDeserializerReadsItsTypeFromTheKeyConfigAndAcceptsAClass() {
        JsonDeserializer<NodeMetric> deserializer = new JsonDeserializer<>();
        deserializer.configure(Map.of(JsonDeserializer.KEY_TYPE_CONFIG, NodeMetric.class,
                JsonDeserializer.VALUE_TYPE_CONFIG, ScaleCommand.class.getName()), true);

        assertThat(deserializer.type()).isEqualTo(NodeMetric.class);
    }

    @Test
    void deserializerBuiltByClassNameWithoutTypeConfigFailsAtConfigure() {
        JsonDeserializer<Object> deserializer = new JsonDeserializer<>();

        assertThatThrownBy(() -> deserializer.configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(JsonDeserializer.VALUE_TYPE_CONFIG);
    }

    @Test
    void deserializerRejectsAnUnknownClassName() {
        JsonDeserializer<Object> deserializer = new JsonDeserializer<>();

        assertThatThrownBy(() -> deserializer.configure(
                Map.of(JsonDeserializer.VALUE_TYPE_CONFIG, "dev.meridian.NoSuchRecord"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dev.meridian.NoSuchRecord");
    }

    @Test
    void deserializerBuiltWithATypeKeepsItWhenConfigNamesNone() {
        JsonSerde<NodeMetric> serde = ContractSerdes.nodeMetric();
        serde.configure(Map.of(), false);
        NodeMetric sample = ContractSamples.nodeMetric();

        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", sample))).isEqualTo(sample);
    }
}
