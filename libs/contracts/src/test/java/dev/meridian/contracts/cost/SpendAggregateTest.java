package dev.meridian.contracts.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.meridian.contracts.ContractSamples;
import dev.meridian.contracts.JsonTrees;
import dev.meridian.contracts.validation.Violation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendAggregateTest {

    @Test
    void keyJoinsRegionHourAndTagsSortedByName() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("team", "search");
        tags.put("env", "prod");

        assertThat(SpendAggregate.key("us-east", Instant.parse("2026-11-27T13:00:00Z"), tags))
                .isEqualTo("us-east/2026-11-27T13:00:00Z/env=prod,team=search");
        assertThat(SpendAggregate.key("us-east", Instant.parse("2026-11-27T13:00:00Z"), Map.of()))
                .isEqualTo("us-east/2026-11-27T13:00:00Z/");
    }

    @Test
    void keepsTagsSortedWhateverOrderTheyCameIn() {
        assertThat(ContractSamples.spendAggregate().tags().keySet()).containsExactly("env", "team");
    }

    @Test
    void rejectsIdThatIsNotTheKeyOfItsFields() {
        SpendAggregate spend = JsonTrees.with(ContractSamples.spendAggregate(), "region", "\"us-west\"");

        assertThat(spend.violations()).containsExactly(new Violation("id", "consistency",
                "id must equal us-west/2026-11-27T13:00:00Z/env=prod,team=search, was "
                        + "us-east/2026-11-27T13:00:00Z/env=prod,team=search"));
    }

    @Test
    void rejectsHourThatIsNotOnTheHour() {
        SpendAggregate spend = JsonTrees.with(ContractSamples.spendAggregate(), "hourStart",
                "\"2026-11-27T13:30:00Z\"");

        assertThat(spend.violations()).extracting(Violation::field, Violation::rule)
                .contains(tuple("hourStart", "format"));
    }

    @Test
    void rejectsTagValueContainingAKeyDelimiter() {
        SpendAggregate spend = JsonTrees.with(ContractSamples.spendAggregate(), "tags.team", "\"search,ads\"");

        assertThat(spend.violations()).extracting(Violation::field).contains("tags.team");
    }

    @Test
    void rejectsNegativeAmount() {
        SpendAggregate spend = JsonTrees.with(ContractSamples.spendAggregate(), "amount", "\"-0.01\"");

        assertThat(spend.violations()).containsExactly(new Violation("amount", "negative",
                "amount must not be negative, was -0.01"));
    }
}
