package dev.meridian.contracts.json;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** {@link JsonSerializer} and {@link JsonDeserializer} of one contract class, for Kafka Streams. */
public class JsonSerde<T> implements Serde<T> {

    private final JsonSerializer<T> serializer = new JsonSerializer<>();
    private final JsonDeserializer<T> deserializer;

    public JsonSerde(Class<T> type) {
        this.deserializer = new JsonDeserializer<>(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
