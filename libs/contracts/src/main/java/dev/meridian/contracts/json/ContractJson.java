package dev.meridian.contracts.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.ContractViolationException;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON form of every contract: one configured {@link ObjectMapper}, reads that turn every failure into a
 * {@link ContractViolationException} naming the field, and writes that refuse invalid values.
 *
 * <p>Reading is tolerant where a newer producer may differ (unknown fields are ignored) and strict where a
 * silent conversion would hide a broken sender: a missing required field, {@code null} for a number, a
 * string where a number belongs (or the reverse), a fraction for an integer, an enum by ordinal, trailing
 * garbage. Instants are ISO-8601 strings; money is a decimal string; absent optional fields are omitted.
 */
public final class ContractJson {

    /** Rule of a document that is not JSON at all, or not a JSON object. */
    public static final String RULE_JSON = "json";
    /** Rule of a value of the wrong JSON type. */
    public static final String RULE_TYPE = "type";
    /** Rule of an enum value that is not one of the constants. */
    public static final String RULE_ENUM = "enum";
    /** Rule of a value the record's constructor refused. */
    public static final String RULE_INVALID = "invalid";

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private ContractJson() {
    }

    /**
     * The shared, configured mapper. Do not reconfigure it; use {@link #configure} on a mapper of your own.
     * It writes without validating, which only simulators producing deliberately bad samples should need.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies Meridian's JSON settings to {@code mapper} (e.g. from a Quarkus ObjectMapperCustomizer). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule())
                .registerModule(CanonicalInstants.module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // Money as "1000", never "1E+3": other languages parse the string as a decimal literal.
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                // Python's json module writes NaN bare; accept it so the record's "must be finite" rule
                // names the field instead of the whole document failing as malformed.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature())
                // Exact like Double.parseDouble, several times faster: every sample carries six doubles.
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature())
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                // [null] inside a list or map would otherwise surface as an NPE from List.copyOf.
                .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        // Per class, not LogicalType.Float: BigDecimal is Float too, and money must come as a string.
        for (Class<?> floating : new Class<?>[] {double.class, Double.class}) {
            mapper.coercionConfigFor(floating).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /**
     * Parses and validates a contract value.
     *
     * @throws ContractViolationException with rule {@value #RULE_JSON} (field {@code $}) for malformed JSON,
     *                                    {@code required}, {@value #RULE_TYPE} or {@value #RULE_ENUM} for a
     *                                    field Jackson could not bind, or the record's own violations
     */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return validated(MAPPER.readValue(json, type));
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a contract value without checking its own rules: for a reader that checks them itself right after (with
     * more context, e.g. the clock) or that reads what a door of ours checked already. Malformed JSON and fields
     * Jackson cannot bind are refused as by {@link #read(byte[], Class)}.
     */
    public static <T> T readUnchecked(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #read(byte[], Class)} for text. */
    public static <T> T read(String json, Class<T> type) {
        return read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    /**
     * Serializes a contract value after validating it, so nothing invalid reaches a topic.
     *
     * @throws ContractViolationException if {@code value} is {@link Validated} and invalid
     */
    public static byte[] write(Object value) {
        if (value instanceof Validated validated) {
            Validated.requireValid(validated);
        }
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /** {@link #write} as text. */
    public static String writeString(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    private static <T> T validated(T value) {
        if (value instanceof Validated validated) {
            Validated.requireValid(validated);
        }
        return value;
    }

    /** Maps Jackson's failure to the field and rule a sender can act on. */
    static ContractViolationException translate(JsonProcessingException e) {
        return new ContractViolationException(violationOf(e), e);
    }

    private static Violation violationOf(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return new Violation(Violation.FIELD_ROOT, RULE_JSON, "malformed JSON: " + describe(e));
        }
        String field = path(mapping);
        String original = String.valueOf(mapping.getOriginalMessage());
        if (field.isEmpty()) {
            if (original.startsWith("No content") || original.startsWith("Trailing token")) {
                return new Violation(Violation.FIELD_ROOT, RULE_JSON, "malformed JSON: " + describe(e));
            }
            return new Violation(Violation.FIELD_ROOT, RULE_TYPE, "$ must be a JSON object: " + describe(e));
        }
        if (e instanceof InvalidNullException || original.startsWith("Missing required creator property")
                || original.startsWith("Cannot map `null`")) {
            return new Violation(field, Checks.REQUIRED, field + " is required");
        }
        if (e instanceof ValueInstantiationException) {
            return new Violation(field, RULE_INVALID, field + " is invalid: " + e.getCause());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            String was = e instanceof InvalidFormatException format ? ", was " + quoted(format.getValue()) : "";
            if (target.isEnum()) {
                return new Violation(field, RULE_ENUM,
                        field + " must be one of " + Arrays.toString(target.getEnumConstants()) + was);
            }
            return new Violation(field, RULE_TYPE, field + " must be " + jsonType(target) + was);
        }
        return new Violation(field, RULE_JSON, field + " could not be read: " + describe(e));
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String jsonType(Class<?> target) {
        if (target == String.class) {
            return "a string";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return "an integer";
        }
        if (target == double.class || target == Double.class) {
            return "a number";
        }
        if (target == BigDecimal.class) {
            return "a decimal string";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "a boolean";
        }
        if (target == Instant.class) {
            return "an ISO-8601 instant";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "an object";
        }
        return "of type " + target.getSimpleName();
    }

    private static String quoted(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return e.getOriginalMessage() + where;
    }
}
