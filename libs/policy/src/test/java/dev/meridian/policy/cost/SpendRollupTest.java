package dev.meridian.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.contracts.cost.SpendAggregate;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendRollupTest {

    private static CostLine line(String region, String hour, Map<String, String> tags, String amount) {
        return new CostLine(region, Instant.parse(hour), tags, "USD", new BigDecimal(amount), 3600);
    }

    private static final List<CostLine> LINES = List.of(
            line("us-east", "2026-11-01T23:00:00Z", Map.of("team", "search", "pool", "infer"), "1.5"),
            line("us-west", "2026-11-02T00:00:00Z", Map.of("team", "search", "pool", "infer"), "2.25"),
            line("us-east", "2026-11-02T01:00:00Z", Map.of("team", "research", "pool", "batch"), "0.75"),
            line("eu-west", "2026-11-02T05:00:00Z", Map.of("pool", "infer"), "1.00"));

    @Test
    void rollsUpByDayAndTagWithUntaggedSpendUnallocated() {
        List<RollupRow> rows = SpendRollup.rollup(LINES, Granularity.DAY, ZoneOffset.UTC, List.of("team"));

        assertThat(rows).extracting(RollupRow::period, r -> r.group().get("team"), RollupRow::amount,
                RollupRow::nodeSeconds).containsExactly(
                tuple("2026-11-01", "search", new BigDecimal("1.5"), 3600L),
                tuple("2026-11-02", CostTags.UNALLOCATED, new BigDecimal("1.00"), 3600L),
                tuple("2026-11-02", "research", new BigDecimal("0.75"), 3600L),
                tuple("2026-11-02", "search", new BigDecimal("2.25"), 3600L));
    }

    @Test
    void rollsUpByMonthAndACombinationOfRegionAndTag() {
        List<RollupRow> rows = SpendRollup.rollup(LINES, Granularity.MONTH, ZoneOffset.UTC, List.of("region", "pool"));

        // us-east/infer 1.5; us-west/infer 2.25; us-east/batch 0.75; eu-west/infer 1.00 — all in 2026-11
        assertThat(rows).extracting(r -> r.group().toString(), RollupRow::amount).containsExactly(
                tuple("{pool=batch, region=us-east}", new BigDecimal("0.75")),
                tuple("{pool=infer, region=eu-west}", new BigDecimal("1.00")),
                tuple("{pool=infer, region=us-east}", new BigDecimal("1.5")),
                tuple("{pool=infer, region=us-west}", new BigDecimal("2.25")));
        assertThat(rows).allMatch(r -> r.period().equals("2026-11")
                && r.periodStart().equals(Instant.parse("2026-11-01T00:00:00Z")));
    }

    @Test
    void monthsFollowTheConfiguredZone() {
        ZoneId newYork = ZoneId.of("America/New_York");
        // 03:00Z on Nov 1 is 23:00 EDT on Oct 31; 05:00Z is 01:00 EDT (EDT ends at 06:00Z)
        List<CostLine> lines = List.of(line("us-east", "2026-11-01T03:00:00Z", Map.of(), "4"),
                line("us-east", "2026-11-01T05:00:00Z", Map.of(), "6"));

        assertThat(SpendRollup.rollup(lines, Granularity.MONTH, newYork, List.of()))
                .extracting(RollupRow::period, RollupRow::amount, RollupRow::periodStart).containsExactly(
                        tuple("2026-10", new BigDecimal("4"), Instant.parse("2026-10-01T04:00:00Z")),
                        tuple("2026-11", new BigDecimal("6"), Instant.parse("2026-11-01T04:00:00Z")));
        assertThat(SpendRollup.rollup(lines, Granularity.MONTH, ZoneOffset.UTC, List.of()))
                .extracting(RollupRow::amount).containsExactly(new BigDecimal("10"));
    }

    @Test
    void onlyTheNewestVersionOfAnHourCountsWhateverTheOrder() {
        Instant hour = Instant.parse("2026-11-02T10:00:00Z");
        Map<String, String> tags = Map.of("team", "search");
        SpendAggregate early = new SpendAggregate(SpendAggregate.key("us-east", hour, tags), "us-east", hour, tags,
                new BigDecimal("0.5"), "USD", 1800, hour.plusSeconds(1800));
        SpendAggregate late = new SpendAggregate(early.id(), "us-east", hour, tags, new BigDecimal("1.1"), "USD", 3600,
                hour.plusSeconds(3900));

        assertThat(SpendRollup.latest(List.of(late, early))).extracting(CostLine::amount)
                .containsExactly(new BigDecimal("1.1"));
        assertThat(SpendRollup.latest(List.of(early, late))).extracting(CostLine::amount)
                .containsExactly(new BigDecimal("1.1"));
    }

    @Test
    void totalsAScopeWithinAMonth() {
        Instant from = Instant.parse("2026-11-02T00:00:00Z");
        Instant to = Instant.parse("2026-11-03T00:00:00Z");

        // Nov 2: search 2.25 (us-west)
        assertThat(SpendRollup.total(LINES, BudgetScope.parse("team:search"), from, to, "USD"))
                .isEqualByComparingTo("2.25");
        // Nov 2 in us-east: 0.75
        assertThat(SpendRollup.total(LINES, BudgetScope.parse("region:us-east"), from, to, "USD"))
                .isEqualByComparingTo("0.75");
        // Nov 2 everywhere: 2.25 + 0.75 + 1.00 = 4.00
        assertThat(SpendRollup.total(LINES, BudgetScope.parse("global"), from, to, "USD"))
                .isEqualByComparingTo("4.00");
        assertThat(SpendRollup.total(LINES, BudgetScope.parse("global"), from, to, "EUR")).isZero();
    }
}
