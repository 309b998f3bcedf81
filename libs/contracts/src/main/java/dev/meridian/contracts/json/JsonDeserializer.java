package dev.meridian.contracts.json;

import dev.meridian.contracts.validation.ContractViolationException;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads and validates a contract value with {@link ContractJson#read(byte[], Class)}. A value that breaks
 * its contract fails with Kafka's {@link SerializationException} whose cause is the
 * {@link ContractViolationException} (field, rule, message), so an error handler can route it to a DLQ.
 * {@code null} bytes (tombstones) read as {@code null}.
 *
 * <p>Built in code with {@link #JsonDeserializer(Class)} (or {@link ContractSerdes}), or by class name from
 * consumer configuration (plain consumers, SmallRye Reactive Messaging), where the target class comes from
 * <ul>
 * <li>{@value #VALUE_TYPE_CONFIG} when used as the value deserializer, and</li>
 * <li>{@value #KEY_TYPE_CONFIG} when used as the key deserializer,</li>
 * </ul>
 * each a fully qualified class name (or a {@link Class}), e.g.
 * {@code mp.messaging.incoming.samples.meridian.json.value.type=dev.meridian.contracts.metrics.NodeMetric}.
 */
public class JsonDeserializer<T> implements Deserializer<T> {

    /** Consumer config key naming the value class. */
    public static final String VALUE_TYPE_CONFIG = "meridian.json.value.type";
    /** Consumer config key naming the key class. */
    public static final String KEY_TYPE_CONFIG = "meridian.json.key.type";

    private Class<T> type;

    /** For instantiation by class name; {@link #configure} must follow. */
    public JsonDeserializer() {
    }

    public JsonDeserializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        String key = isKey ? KEY_TYPE_CONFIG : VALUE_TYPE_CONFIG;
        Object configured = configs.get(key);
        if (configured == null) {
            if (type == null) {
                throw new ConfigException(key, null, "JsonDeserializer needs the target class");
            }
            return;
        }
        if (configured instanceof Class<?> cls) {
            type = (Class<T>) cls;
            return;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = (Class<T>) Class.forName(configured.toString().trim(), true,
                    loader != null ? loader : JsonDeserializer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, configured, "no such class");
        }
    }

    /** The class this deserializer produces; null until constructed with one or configured. */
    public Class<T> type() {
        return type;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (type == null) {
            throw new IllegalStateException("JsonDeserializer used before configure(): set " + VALUE_TYPE_CONFIG
                    + " or " + KEY_TYPE_CONFIG);
        }
        try {
            return ContractJson.read(data, type);
        } catch (ContractViolationException e) {
            throw new SerializationException("invalid " + type.getSimpleName() + " on " + topic + ": "
                    + e.getMessage(), e);
        }
    }
}
