package dev.meridian.policy.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.cost.SpendAggregate;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MonthSpendTest {

    private static final BudgetMonth NOVEMBER = BudgetMonth.of(Instant.parse("2026-11-15T00:00:00Z"), ZoneId.of("UTC"));
    private static final Budget GLOBAL = Budget.of("global", "1000", "USD");
    private static final Budget US_EAST = Budget.of("region:us-east", "500", "USD");
    private static final Budget SEARCH = Budget.of("team:search", "200", "USD");

    private static SpendAggregate aggregate(String region, String hour, Map<String, String> tags, String amount,
            long nodeSeconds, String computedAt) {
        Instant hourStart = Instant.parse(hour);
        return new SpendAggregate(SpendAggregate.key(region, hourStart, tags), region, hourStart, tags,
                new BigDecimal(amount), "USD", nodeSeconds, Instant.parse(computedAt));
    }

    @Test
    void sumsEachScopeAndReplacesAnHoursEarlierVersion() {
        MonthSpend spend = MonthSpend.of(NOVEMBER, List.of(GLOBAL, US_EAST, SEARCH));

        assertThat(spend.apply(aggregate("us-east", "2026-11-02T10:00:00Z", Map.of("team", "search"), "1.50", 3600,
                "2026-11-02T10:30:00Z"))).isTrue();
        assertThat(spend.apply(aggregate("eu-west", "2026-11-02T10:00:00Z", Map.of("team", "ads"), "2.25", 3600,
                "2026-11-02T10:30:00Z"))).isTrue();
        // the same us-east hour again, later and larger: 1.50 is replaced by 3.00, not added to
        assertThat(spend.apply(aggregate("us-east", "2026-11-02T10:00:00Z", Map.of("team", "search"), "3.00", 7200,
                "2026-11-02T11:00:00Z"))).isTrue();

        // global 3.00 + 2.25 = 5.25; us-east 3.00; team:search 3.00
        assertThat(spend.spent("global")).isEqualByComparingTo("5.25");
        assertThat(spend.spent("region:us-east")).isEqualByComparingTo("3.00");
        assertThat(spend.spent("team:search")).isEqualByComparingTo("3.00");
        assertThat(spend.spent("team:nobody")).isEqualByComparingTo("0");
        assertThat(spend.size()).isEqualTo(2);
    }

    @Test
    void ignoresOlderVersionsReplaysOtherMonthsAndOtherCurrencies() {
        MonthSpend spend = MonthSpend.of(NOVEMBER, List.of(GLOBAL));
        spend.apply(aggregate("us-east", "2026-11-02T10:00:00Z", Map.of(), "4.00", 3600, "2026-11-02T11:01:00Z"));

        assertThat(spend.apply(aggregate("us-east", "2026-11-02T10:00:00Z", Map.of(), "3.00", 3000,
                "2026-11-02T10:50:00Z"))).as("older").isFalse();
        assertThat(spend.apply(aggregate("us-east", "2026-11-02T10:00:00Z", Map.of(), "4.00", 3600,
                "2026-11-02T11:01:00Z"))).as("replay").isFalse();
        assertThat(spend.apply(aggregate("us-east", "2026-10-31T23:00:00Z", Map.of(), "9.00", 3600,
                "2026-11-01T00:01:00Z"))).as("October hour").isFalse();
        assertThat(spend.apply(aggregate("us-east", "2026-12-01T00:00:00Z", Map.of(), "9.00", 3600,
                "2026-12-01T00:01:00Z"))).as("December hour").isFalse();
        Instant hour = Instant.parse("2026-11-03T00:00:00Z");
        spend.apply(new SpendAggregate(SpendAggregate.key("us-east", hour, Map.of()), "us-east", hour, Map.of(),
                new BigDecimal("7.00"), "EUR", 3600, hour.plusSeconds(3600)));

        assertThat(spend.spent("global")).as("the EUR hour is not in a USD budget").isEqualByComparingTo("4.00");
    }

    @Test
    void newBudgetsAreSummedOverWhatIsAlreadyHeld() {
        MonthSpend spend = MonthSpend.of(NOVEMBER, List.of(GLOBAL));
        spend.apply(aggregate("us-east", "2026-11-02T10:00:00Z", Map.of("team", "search"), "1.25", 3600,
                "2026-11-02T11:00:00Z"));
        spend.apply(aggregate("eu-west", "2026-11-02T10:00:00Z", Map.of("team", "search"), "0.75", 3600,
                "2026-11-02T11:00:00Z"));

        spend.budgets(List.of(GLOBAL, SEARCH, US_EAST));

        // team:search over both regions: 1.25 + 0.75
        assertThat(spend.spent("team:search")).isEqualByComparingTo("2.00");
        assertThat(spend.spent("region:us-east")).isEqualByComparingTo("1.25");
        assertThat(spend.budgets()).extracting(b -> b.scope().scope())
                .containsExactly("global", "team:search", "region:us-east");
    }

    @Test
    void incrementalTotalsEqualTheRollupOfTheLatestVersionsInAnyOrder() {
        String[] regions = {"us-east", "eu-west"};
        String[] teams = {"search", "ads"};
        List<Budget> budgets = List.of(GLOBAL, US_EAST, SEARCH);
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<SpendAggregate> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Instant hour = NOVEMBER.start().plus(Duration.ofHours(random.nextInt(-2, 722)));
                String amount = BigDecimal.valueOf(random.nextLong(0, 1_000_000_000L), 6).toPlainString();
                all.add(aggregate(regions[random.nextInt(2)], hour.toString(), Map.of("team", teams[random.nextInt(2)]),
                        amount, random.nextInt(0, 3601), hour.plusSeconds(random.nextInt(0, 7200)).toString()));
            }
            MonthSpend spend = MonthSpend.of(NOVEMBER, budgets);
            all.forEach(spend::apply);

            List<CostLine> latest = SpendRollup.latest(all);
            for (Budget budget : budgets) {
                BigDecimal expected = SpendRollup.total(latest, budget.scope(), NOVEMBER.start(), NOVEMBER.end(), "USD");
                assertThat(spend.spent(budget.scope().scope())).as("seed %d, %s", seed, budget.scope().scope())
                        .isEqualByComparingTo(expected);
            }
        }
    }
}
