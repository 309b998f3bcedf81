package dev.meridian.contracts.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.contracts.ContractType;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TopicCatalogTest {

    private static List<TopicSpec> operational() {
        return TopicCatalog.all().stream().filter(t -> !t.name().startsWith(TopicCatalog.FLEET_CONFIG_PREFIX)).toList();
    }

    private static List<TopicSpec> fleetConfig() {
        return TopicCatalog.all().stream().filter(t -> t.name().startsWith(TopicCatalog.FLEET_CONFIG_PREFIX)).toList();
    }

    @Test
    void operationalTopicNamesFollowTheVersionedPattern() {
        assertThat(operational()).extracting(TopicSpec::name)
                .isNotEmpty()
                .allMatch(name -> name.matches("meridian\\.[a-z]+(\\.[a-z-]+)?\\.v1"), "meridian.<domain>.<name>.v1");
    }

    @Test
    void fleetConfigTopicsAreNamedAfterTheirTable() {
        assertThat(fleetConfig()).extracting(TopicSpec::name)
                .containsExactlyElementsOf(TopicCatalog.FLEET_CONFIG_TABLES.stream()
                        .map(table -> "meridian.fleet.config." + table).toList());
    }

    @Test
    void topicNamesAreUnique() {
        assertThat(TopicCatalog.all()).extracting(TopicSpec::name).doesNotHaveDuplicates();
    }

    @Test
    void fleetConfigTopicsAreCompactedAndKeepChangesAtLeastSevenDaysForAudit() {
        assertThat(fleetConfig()).isNotEmpty().allSatisfy(topic -> {
            assertThat(topic.cleanup()).isEqualTo(Cleanup.COMPACT);
            assertThat(topic.minCompactionLag()).hasValueSatisfying(lag ->
                    assertThat(lag).isGreaterThanOrEqualTo(Duration.ofDays(7)));
            assertThat(Long.parseLong(topic.kafkaConfigs().get("min.compaction.lag.ms")))
                    .isGreaterThanOrEqualTo(7L * 24 * 3600 * 1000);
        });
    }

    @Test
    void auditLogIsKeptThreeYears() {
        TopicSpec audit = TopicCatalog.byName(TopicCatalog.AUDIT_LOG);

        assertThat(audit.cleanup()).isEqualTo(Cleanup.DELETE);
        assertThat(audit.kafkaConfigs()).containsEntry("retention.ms", "94608000000");
    }

    @Test
    void onlyPoolAggregatesLatencySpendAndConfigurationCrossRegions() {
        List<String> crossing = TopicCatalog.all().stream().filter(TopicSpec::crossesRegions).map(TopicSpec::name)
                .filter(name -> !name.startsWith(TopicCatalog.FLEET_CONFIG_PREFIX)).collect(Collectors.toList());

        assertThat(crossing).containsExactlyInAnyOrder(TopicCatalog.UTILIZATION_POOL, TopicCatalog.LATENCY,
                TopicCatalog.COST_SPEND);
        assertThat(fleetConfig()).allMatch(TopicSpec::crossesRegions);
    }

    @Test
    void compactedTopicsAreKeptForeverAndDeleteTopicsHaveARetention() {
        assertThat(TopicCatalog.all()).allSatisfy(topic -> {
            String retention = topic.kafkaConfigs().get("retention.ms");
            if (topic.cleanup() == Cleanup.COMPACT) {
                assertThat(retention).isEqualTo("-1");
            } else {
                assertThat(Long.parseLong(retention)).isPositive();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void everyContractsTopicIsCatalogedWithThatRecordAsItsValue(ContractType type) {
        // The audit's input topic also carries the audit's own operations, which are no contract: named after it.
        assertThat(TopicCatalog.byName(type.topic()).value()).matches(
                java.util.regex.Pattern.quote(type.recordClass().getSimpleName()) + "( \\(.*)?");
    }

    @Test
    void unknownTopicNameIsAnError() {
        assertThat(TopicCatalog.find("meridian.nope.v1")).isEmpty();
        assertThatThrownBy(() -> TopicCatalog.byName("meridian.nope.v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meridian.nope.v1");
    }
}
