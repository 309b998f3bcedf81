package dev.meridian.ctl.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A request's query parameters in the order added; a null value leaves its parameter out. */
public final class Query {

    private final Map<String, String> parameters = new LinkedHashMap<>();

    public static Query of() {
        return new Query();
    }

    public Query and(String name, Object value) {
        if (value != null) {
            parameters.put(name, value.toString());
        }
        return this;
    }

    /** {@code ?a=1&b=x%2Fy}, or the empty string without parameters. */
    public String render() {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    /** One path segment, encoded: an action or node id may hold any character. */
    public static String segment(String value) {
        return encode(value);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
