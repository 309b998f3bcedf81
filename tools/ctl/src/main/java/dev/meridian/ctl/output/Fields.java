package dev.meridian.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Reads what is there of an answer: a field that is missing or null is null here, and shows as {@code -}. */
final class Fields {

    private Fields() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.asBoolean(false);
    }

    /** A number with {@code decimals} places, or null when it is not there. */
    static String number(JsonNode node, String field, int decimals) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            return text(node, field);
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value.asDouble());
    }

    /** The node's elements: an array's, or none. */
    static Iterable<JsonNode> elements(JsonNode node) {
        return node != null && node.isArray() ? node : java.util.List.of();
    }
}
