package dev.meridian.cost.api;

import dev.meridian.policy.cost.CostTags;
import dev.meridian.policy.cost.Granularity;
import dev.meridian.service.problem.InvalidParameterException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/costs} parameters, checked: an allocation query in the spirit of OpenCost's {@code /allocation}
 * (window = from..to, aggregate = groupBy, step).
 *
 * @param from inclusive; hours starting at or after it count
 * @param to   exclusive
 */
public record CostQuery(Instant from, Instant to, Granularity step, String stepLabel, List<String> groupBy) {

    /** The longest window: thirteen months, so a month can be compared with the same month a year before. */
    public static final int MAX_MONTHS = 13;
    /** Group-by keys always known: the region and the tags every node has, plus the conventional pool tags. */
    public static final Set<String> BUILT_IN_KEYS = Set.of(CostTags.REGION, CostTags.POOL, CostTags.TIER,
            CostTags.CAPACITY_TYPE, "task", "team");
    private static final Map<String, Granularity> STEPS = Map.of("1h", Granularity.HOUR, "1d", Granularity.DAY,
            "1mo", Granularity.MONTH);

    /**
     * @param knownTagKeys tag keys of the registry's pools, also accepted in {@code groupBy}
     * @param monthStart   the default {@code from}: the start of the current budget month
     * @throws InvalidParameterException naming the parameter
     */
    public static CostQuery parse(String from, String to, String groupBy, String step, Set<String> knownTagKeys,
            Instant now, Instant monthStart, ZoneId zone) {
        Instant start = from == null || from.isBlank() ? monthStart : instant("from", from, zone);
        Instant end = to == null || to.isBlank() ? now : instant("to", to, zone);
        if (start.isAfter(end)) {
            throw new InvalidParameterException("from", "from (" + start + ") is after to (" + end + ")");
        }
        if (start.atZone(ZoneOffset.UTC).plusMonths(MAX_MONTHS).toInstant().isBefore(end)) {
            throw new InvalidParameterException("to", "the window " + start + " .. " + end + " is longer than " + MAX_MONTHS
                    + " months");
        }
        String stepLabel = step == null || step.isBlank() ? "1d" : step.strip();
        Granularity granularity = STEPS.get(stepLabel);
        if (granularity == null) {
            throw new InvalidParameterException("step", "step must be one of 1h, 1d, 1mo, was " + stepLabel);
        }
        List<String> keys = new ArrayList<>();
        if (groupBy != null && !groupBy.isBlank()) {
            Set<String> seen = new LinkedHashSet<>();
            for (String key : groupBy.split(",")) {
                String k = key.strip();
                if (!BUILT_IN_KEYS.contains(k) && !knownTagKeys.contains(k)) {
                    throw new InvalidParameterException("groupBy", "unknown groupBy key '" + k + "'; known: "
                            + new java.util.TreeSet<>(union(knownTagKeys)));
                }
                if (seen.add(k)) {
                    keys.add(k);
                }
            }
        }
        return new CostQuery(start, end, granularity, stepLabel, List.copyOf(keys));
    }

    private static Set<String> union(Set<String> tagKeys) {
        Set<String> all = new LinkedHashSet<>(BUILT_IN_KEYS);
        all.addAll(tagKeys);
        return all;
    }

    /** An ISO-8601 instant ({@code 2026-11-01T00:00:00Z}) or a date ({@code 2026-11-01}, its start in the zone). */
    private static Instant instant(String parameter, String text, ZoneId zone) {
        String value = text.strip();
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw new InvalidParameterException(parameter, parameter + " must be an ISO-8601 instant or date, was " + value);
        }
    }
}
