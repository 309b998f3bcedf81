package dev.meridian.contracts.json;

import dev.meridian.contracts.validation.ContractViolationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a contract value as JSON after validating it. {@code null} stays {@code null}, so tombstones on
 * compacted topics pass through. Needs no configuration, so it can be instantiated by class name.
 */
public class JsonSerializer<T> implements Serializer<T> {

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return ContractJson.write(data);
        } catch (ContractViolationException e) {
            throw new SerializationException("refusing to write an invalid " + data.getClass().getSimpleName()
                    + " to " + topic + ": " + e.getMessage(), e);
        }
    }
}
