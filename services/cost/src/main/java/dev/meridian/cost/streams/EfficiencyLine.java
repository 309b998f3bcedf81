package dev.meridian.cost.streams;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * Idle cost and spot savings of one region, hour and tag set.
 *
 * @param idleAmount      cost of node windows below the idle threshold (summed as windows arrive)
 * @param idleNodeSeconds their node time
 * @param spotSavings     on-demand minus spot price over the hour's spot time (the bucket's latest figure)
 */
public record EfficiencyLine(String region, Instant hourStart, Map<String, String> tags, String currency,
        BigDecimal idleAmount, long idleNodeSeconds, BigDecimal spotSavings) {

    static EfficiencyLine empty(String region, Instant hourStart, Map<String, String> tags, String currency) {
        return new EfficiencyLine(region, hourStart, tags, currency, BigDecimal.ZERO, 0, BigDecimal.ZERO);
    }

    EfficiencyLine plusIdle(BigDecimal amount, long nodeSeconds) {
        return new EfficiencyLine(region, hourStart, tags, currency, idleAmount.add(amount),
                idleNodeSeconds + nodeSeconds, spotSavings);
    }

    EfficiencyLine withSpotSavings(BigDecimal savings) {
        return new EfficiencyLine(region, hourStart, tags, currency, idleAmount, idleNodeSeconds, savings);
    }
}
