package dev.meridian.contracts.validation;

import java.util.Objects;

/**
 * One broken rule of a contract.
 *
 * @param field   the JSON path of the offending value ({@code gpuUtil}, {@code tiers[0].regions[1].weight}),
 *                {@code $} for the document as a whole
 * @param rule    a short, stable rule name ({@code range}, {@code required}, {@code clock skew}, ...) that
 *                metrics and DLQ headers can group by
 * @param message a sentence for humans that names the field and the offending value
 */
public record Violation(String field, String rule, String message) {

    /** The field name used when the document itself is at fault (malformed JSON, not an object). */
    public static final String FIELD_ROOT = "$";

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    /** The same violation reported under a parent path, for values nested in lists or objects. */
    public Violation under(String parent) {
        String path = FIELD_ROOT.equals(field) ? parent : parent + (field.startsWith("[") ? "" : ".") + field;
        return new Violation(path, rule, message.startsWith(field) ? path + message.substring(field.length()) : message);
    }
}
