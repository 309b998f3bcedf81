package dev.meridian.registry.config;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Criticality;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns a row image of a Debezium event (JSON converter without schemas, {@code decimal.handling.mode=string})
 * into the typed record of its table. Anything missing or malformed throws, so the caller can drop the row
 * rather than keep a half-read one.
 */
final class RowDecoder {

    private RowDecoder() {
    }

    static Object decode(ConfigTable table, JsonNode row) {
        return switch (table) {
            case REGIONS -> new Region(text(row, "name"), text(row, "zone"), text(row, "display_name"),
                    text(row, "changed_by"), instant(row, "changed_at"));
            case REGION_ALLOW_LIST -> new AllowListEntry(text(row, "client_region"), text(row, "serving_region"),
                    text(row, "reason"), text(row, "changed_by"), instant(row, "changed_at"));
            case NODE_POOLS -> new NodePool(text(row, "region"), text(row, "name"),
                    Tier.valueOf(text(row, "tier")), integer(row, "min_size"), integer(row, "max_size"),
                    integer(row, "warm_size"), strings(row, "instance_types"),
                    CapacityType.valueOf(text(row, "capacity_type")), bool(row, "spot_fallback"),
                    Criticality.valueOf(text(row, "criticality")), tags(row, "tags"), text(row, "changed_by"),
                    instant(row, "changed_at"));
            case PRICES -> new Price(text(row, "region"), text(row, "instance_type"),
                    CapacityType.valueOf(text(row, "capacity_type")), instant(row, "effective_from"),
                    optionalInstant(row, "effective_until"), decimal(row, "hourly_price"), text(row, "currency"),
                    text(row, "changed_by"), instant(row, "changed_at"));
            case BUDGETS -> new Budget(text(row, "scope"), BudgetScopeType.valueOf(text(row, "scope_type")),
                    optionalText(row, "region"), optionalText(row, "tag_key"), optionalText(row, "tag_value"),
                    decimal(row, "monthly_amount"), text(row, "currency"), text(row, "changed_by"),
                    instant(row, "changed_at"));
            case POLICY_OVERRIDES -> new PolicyOverride(text(row, "region"), text(row, "pool"),
                    optionalDecimal(row, "scale_out_utilization"), optionalDecimal(row, "scale_in_utilization"),
                    optionalDecimal(row, "target_utilization"), optionalDecimal(row, "memory_resize_utilization"),
                    optionalInt(row, "sustain_windows"), optionalSeconds(row, "stabilization_seconds"),
                    optionalSeconds(row, "cooldown_seconds"), text(row, "changed_by"), instant(row, "changed_at"));
        };
    }

    /** The actor (the login) and the name the client declared, recorded for one statement in {@code config.change_log}. */
    record ChangeLogEntry(long id, String tableName, String operation, String actor, Optional<String> declaredActor) {
    }

    static ChangeLogEntry changeLog(JsonNode row) {
        return new ChangeLogEntry(required(row, "id").asLong(), text(row, "table_name"), text(row, "operation"),
                text(row, "actor"), declared(row, "declared_actor"));
    }

    /**
     * A declared name ({@code declared_by} of a row, {@code declared_actor} of the change log): a detail, so a missing
     * column (rows written before the registry kept it), a null or anything but a non-blank string is no name rather
     * than an unreadable row.
     */
    static Optional<String> declared(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText())
                : Optional.empty();
    }

    private static JsonNode required(JsonNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value;
    }

    static String text(JsonNode row, String field) {
        JsonNode value = required(row, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, was " + value);
        }
        return value.asText();
    }

    private static Optional<String> optionalText(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(text(row, field));
    }

    private static int integer(JsonNode row, String field) {
        JsonNode value = required(row, field);
        if (!value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be an integer, was " + value);
        }
        return value.intValue();
    }

    private static OptionalInt optionalInt(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? OptionalInt.empty() : OptionalInt.of(integer(row, field));
    }

    private static Optional<Duration> optionalSeconds(JsonNode row, String field) {
        OptionalInt seconds = optionalInt(row, field);
        return seconds.isPresent() ? Optional.of(Duration.ofSeconds(seconds.getAsInt())) : Optional.empty();
    }

    private static boolean bool(JsonNode row, String field) {
        JsonNode value = required(row, field);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + " must be a boolean, was " + value);
        }
        return value.booleanValue();
    }

    /** Decimals arrive as strings; a number here would mean someone turned on a lossy mode. */
    private static BigDecimal decimal(JsonNode row, String field) {
        return new BigDecimal(text(row, field));
    }

    private static Optional<BigDecimal> optionalDecimal(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(decimal(row, field));
    }

    /** timestamptz arrives as Debezium's ZonedTimestamp, an ISO-8601 string with offset. */
    private static Instant instant(JsonNode row, String field) {
        return OffsetDateTime.parse(text(row, field)).toInstant();
    }

    private static Optional<Instant> optionalInstant(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(instant(row, field));
    }

    private static List<String> strings(JsonNode row, String field) {
        JsonNode value = required(row, field);
        if (!value.isArray()) {
            throw new IllegalArgumentException(field + " must be an array, was " + value);
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(field + " must hold strings, was " + value);
            }
            items.add(item.asText());
        }
        return items;
    }

    /** jsonb arrives as a string holding the document. Non-string tag values are kept as their JSON text. */
    private static Map<String, String> tags(JsonNode row, String field) {
        JsonNode document;
        try {
            document = ContractJson.mapper().readTree(text(row, field));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + " is not JSON", e);
        }
        if (!document.isObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object, was " + document);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        document.properties().forEach(entry -> tags.put(entry.getKey(),
                entry.getValue().isTextual() ? entry.getValue().asText() : entry.getValue().toString()));
        return tags;
    }
}
