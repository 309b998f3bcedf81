package dev.meridian.contracts.cloudevents;

import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.ContractViolationException;
import dev.meridian.contracts.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes as {@code ce_*} headers, UTF-8.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    /** The binding maps {@code datacontenttype} to the plain {@code content-type} header. */
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String APPLICATION_JSON = "application/json";

    private CloudEventHeaders() {
    }

    /**
     * Sets the attributes on {@code headers}, replacing earlier values, so a processor that forwards a
     * record's headers never leaves two {@code ce_id}s on it.
     */
    public static Headers write(Headers headers, CloudEventAttributes attributes) {
        set(headers, SPEC_VERSION, SPEC_VERSION_1_0);
        set(headers, ID, attributes.id());
        set(headers, SOURCE, attributes.source());
        set(headers, TYPE, attributes.type());
        set(headers, TIME, attributes.time() == null ? null : attributes.time().toString());
        set(headers, SUBJECT, attributes.subject());
        set(headers, CONTENT_TYPE, APPLICATION_JSON);
        return headers;
    }

    /**
     * Reads the attributes.
     *
     * @return empty when the record carries no CloudEvent ({@code ce_specversion} absent)
     * @throws ContractViolationException when it claims to be one but a required attribute is missing, the
     *                                    spec version is not 1.0 or the time is not an RFC 3339 instant
     */
    public static Optional<CloudEventAttributes> read(Headers headers) {
        String specVersion = last(headers, SPEC_VERSION);
        if (specVersion == null) {
            return Optional.empty();
        }
        if (!SPEC_VERSION_1_0.equals(specVersion)) {
            throw new ContractViolationException(new Violation(SPEC_VERSION, Checks.FORMAT,
                    SPEC_VERSION + " must be " + SPEC_VERSION_1_0 + ", was " + specVersion));
        }
        String id = required(headers, ID);
        String source = required(headers, SOURCE);
        String type = required(headers, TYPE);
        String time = last(headers, TIME);
        try {
            return Optional.of(new CloudEventAttributes(id, source, type, time == null ? null : Instant.parse(time),
                    last(headers, SUBJECT)));
        } catch (DateTimeParseException e) {
            throw new ContractViolationException(new Violation(TIME, Checks.FORMAT,
                    TIME + " must be an RFC 3339 timestamp, was " + time), e);
        }
    }

    private static String required(Headers headers, String key) {
        String value = last(headers, key);
        if (value == null || value.isBlank()) {
            throw new ContractViolationException(new Violation(key, Checks.REQUIRED, key + " is required"));
        }
        return value;
    }

    private static void set(Headers headers, String key, String value) {
        headers.remove(key);
        if (value != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String last(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
