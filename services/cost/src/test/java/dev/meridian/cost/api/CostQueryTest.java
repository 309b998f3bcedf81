package dev.meridian.cost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.policy.cost.Granularity;
import dev.meridian.service.problem.InvalidParameterException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostQueryTest {

    private static final Instant NOW = Instant.parse("2026-11-27T13:20:00Z");
    private static final Instant MONTH = Instant.parse("2026-11-01T00:00:00Z");
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static CostQuery parse(String from, String to, String groupBy, String step) {
        return CostQuery.parse(from, to, groupBy, step, Set.of("env"), NOW, MONTH, UTC);
    }

    @Test
    void defaultsToTheMonthSoFarByDayWithoutGrouping() {
        CostQuery query = parse(null, null, null, null);

        assertThat(query.from()).isEqualTo(MONTH);
        assertThat(query.to()).isEqualTo(NOW);
        assertThat(query.step()).isEqualTo(Granularity.DAY);
        assertThat(query.groupBy()).isEmpty();
    }

    @Test
    void readsDatesInstantsStepsAndGroupByKeysIncludingRegistryTags() {
        CostQuery query = parse("2026-11-02", "2026-11-03T06:00:00Z", "region, pool,capacityType,env,region", "1h");

        assertThat(query.from()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
        assertThat(query.to()).isEqualTo(Instant.parse("2026-11-03T06:00:00Z"));
        assertThat(query.step()).isEqualTo(Granularity.HOUR);
        assertThat(query.groupBy()).as("duplicates once, in order").containsExactly("region", "pool", "capacityType",
                "env");
        assertThat(parse(null, null, null, "1mo").step()).isEqualTo(Granularity.MONTH);
    }

    @Test
    void refusesUnknownKeysReversedOrOverlongWindowsAndUnknownSteps() {
        assertThatThrownBy(() -> parse(null, null, "region,colour", null)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("colour").extracting(e -> ((InvalidParameterException) e).parameter()).isEqualTo("groupBy");
        assertThatThrownBy(() -> parse("2026-11-10", "2026-11-01", null, null)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("after");
        // 2025-10-27 + 13 months = 2026-11-27: exactly 13 months is allowed, one second more is not
        assertThat(parse("2025-10-27T00:00:00Z", "2026-11-27T00:00:00Z", null, null).from())
                .isEqualTo(Instant.parse("2025-10-27T00:00:00Z"));
        assertThatThrownBy(() -> parse("2025-10-27T00:00:00Z", "2026-11-27T00:00:01Z", null, null))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("13 months");
        assertThatThrownBy(() -> parse(null, null, null, "5m")).isInstanceOf(InvalidParameterException.class)
                .extracting(e -> ((InvalidParameterException) e).parameter()).isEqualTo("step");
        assertThatThrownBy(() -> parse("last week", null, null, null)).isInstanceOf(InvalidParameterException.class)
                .extracting(e -> ((InvalidParameterException) e).parameter()).isEqualTo("from");
    }

    @Test
    void builtInKeysAreTheTagsEveryNodeHasAndTheConventionalOnes() {
        assertThat(CostQuery.BUILT_IN_KEYS).containsExactlyInAnyOrderElementsOf(
                List.of("region", "pool", "tier", "capacityType", "task", "team"));
    }
}
