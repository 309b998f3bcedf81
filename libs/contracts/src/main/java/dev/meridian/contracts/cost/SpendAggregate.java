package dev.meridian.contracts.cost;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Validated;
import dev.meridian.contracts.validation.Violation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Spend of one region, one hour and one tag set. Mirrored to every region so global budgets can be
 * computed anywhere; the id is the record key, so re-computations of the same hour replace each other.
 *
 * @param id          {@link #key(String, Instant, Map)} of region, hourStart and tags
 * @param hourStart   start of the hour, on the hour
 * @param tags        the tag set spend is grouped by; kept sorted so the id is deterministic
 * @param amount      exact decimal, serialized as a JSON string so no consumer rounds it through a double
 * @param nodeSeconds node time the amount was accrued over
 */
public record SpendAggregate(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) Instant hourStart,
        @JsonProperty(required = true) Map<String, String> tags,
        @JsonProperty(required = true) @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
        @JsonProperty(required = true) String currency,
        @JsonProperty(required = true) long nodeSeconds,
        @JsonProperty(required = true) Instant computedAt) implements Validated {

    public SpendAggregate {
        tags = tags == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    /**
     * The record key and id: {@code region/hourStart/k=v,k2=v2} with tags sorted by key, e.g.
     * {@code us-east/2026-11-27T13:00:00Z/env=prod,team=search}.
     */
    public static String key(String region, Instant hourStart, Map<String, String> tags) {
        String tagPart = new TreeMap<>(tags).entrySet().stream()
                .map(tag -> tag.getKey() + "=" + tag.getValue())
                .collect(Collectors.joining(","));
        return region + "/" + hourStart + "/" + tagPart;
    }

    @Override
    public List<Violation> violations() {
        Checks checks = Checks.of()
                .text("id", id, Checks.MAX_TEXT_LENGTH)
                .id("region", region)
                .required("hourStart", hourStart)
                .required("tags", tags)
                .nonNegative("amount", amount)
                .currency("currency", currency)
                .nonNegative("nodeSeconds", nodeSeconds)
                .required("computedAt", computedAt);
        if (hourStart != null) {
            checks.rule(hourStart.truncatedTo(ChronoUnit.HOURS).equals(hourStart), "hourStart", Checks.FORMAT,
                    () -> "hourStart must be on the hour, was " + hourStart);
        }
        if (tags != null) {
            // ',', '=' and '/' delimit the key; allowing them would let two tag sets share one id.
            tags.forEach((name, value) -> {
                String field = "tags." + name;
                checks.rule(!name.isBlank() && name.length() <= Checks.MAX_ID_LENGTH && !containsDelimiter(name)
                        && Checks.firstControl(name) < 0, "tags", Checks.FORMAT, () -> "tags must have non-blank names"
                                + " of at most " + Checks.MAX_ID_LENGTH + " characters without ',', '=', '/' or control"
                                + " characters, was '" + name.replaceAll("\\p{Cc}", "?") + "'")
                        .id(field, value);
                if (value != null) {
                    checks.rule(!containsDelimiter(value), field, Checks.FORMAT,
                            () -> field + " must not contain ',', '=' or '/', was " + value);
                }
            });
        }
        if (id != null && region != null && hourStart != null && tags != null) {
            String expected = key(region, hourStart, tags);
            checks.rule(expected.equals(id), "id", Checks.CONSISTENCY, () -> "id must equal " + expected + ", was " + id);
        }
        return checks.result();
    }

    private static boolean containsDelimiter(String text) {
        return text.indexOf(',') >= 0 || text.indexOf('=') >= 0 || text.indexOf('/') >= 0;
    }
}
