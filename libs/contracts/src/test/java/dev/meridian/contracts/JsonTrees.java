package dev.meridian.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.json.ContractJson;
import java.io.UncheckedIOException;

/** Edits the JSON of a sample at a path like {@code tiers[0].regions[1].weight}, to build broken documents. */
public final class JsonTrees {

    private JsonTrees() {
    }

    public static ObjectNode tree(Object value) {
        return (ObjectNode) ContractJson.mapper().valueToTree(value);
    }

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) ContractJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String set(Object value, String path, String json) {
        ObjectNode root = tree(value);
        String[] steps = path.split("\\.");
        ObjectNode parent = navigate(root, steps);
        parent.set(steps[steps.length - 1], parse("{\"v\":" + json + "}").get("v"));
        return root.toString();
    }

    /**
     * A copy of {@code value} with one field replaced, bound by the raw mapper so the result may be
     * invalid: how tests build the broken values validation must reject.
     */
    @SuppressWarnings("unchecked")
    public static <T> T with(T value, String path, String json) {
        try {
            return (T) ContractJson.mapper().readValue(set(value, path, json), value.getClass());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String remove(Object value, String path) {
        ObjectNode root = tree(value);
        String[] steps = path.split("\\.");
        navigate(root, steps).remove(steps[steps.length - 1]);
        return root.toString();
    }

    private static ObjectNode navigate(ObjectNode root, String[] steps) {
        JsonNode node = root;
        for (int i = 0; i < steps.length - 1; i++) {
            String step = steps[i];
            int bracket = step.indexOf('[');
            node = node.get(bracket < 0 ? step : step.substring(0, bracket));
            while (bracket >= 0) {
                int end = step.indexOf(']', bracket);
                node = ((ArrayNode) node).get(Integer.parseInt(step.substring(bracket + 1, end)));
                bracket = step.indexOf('[', end);
            }
        }
        return (ObjectNode) node;
    }
}
