package dev.meridian.registry.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.contracts.topic.TopicCatalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Which topics FleetConfig reads: the registry's own, or MirrorMaker's copies of them, so services run anywhere. */
class FleetConfigTopicsTest {

    private static final Pattern ANY_REGION = FleetConfig.builder("unused:9092").topicPattern();

    @Test
    void readsTheLocalTopicsAndEveryMirrorOfThemWithTheirTable() {
        for (String table : TopicCatalog.FLEET_CONFIG_TABLES) {
            assertThat(table(ANY_REGION, "meridian.fleet.config." + table)).isEqualTo(table);
            assertThat(table(ANY_REGION, "us-east.meridian.fleet.config." + table)).isEqualTo(table);
            // A mirror of a mirror (a chain of regions) is still the registry's table.
            assertThat(table(ANY_REGION, "eu-west.us-east.meridian.fleet.config." + table)).isEqualTo(table);
        }
    }

    @Test
    void ignoresEverythingElse() {
        assertThat(ANY_REGION.matcher("meridian.fleet.config.unknown_table").matches()).isFalse();
        assertThat(ANY_REGION.matcher("meridian.fleet.config.regions.v2").matches()).isFalse();
        assertThat(ANY_REGION.matcher("xmeridian.fleet.config.regions").matches()).isFalse();
        assertThat(ANY_REGION.matcher("us-east.meridian.fleet.nodes.v1").matches()).isFalse();
        assertThat(ANY_REGION.matcher("mm2-offsets.us-east.internal").matches()).isFalse();
    }

    @Test
    void anExplicitPrefixReadsOnlyThoseTopics() {
        Pattern mirrorsOfUsEast = FleetConfig.builder("unused:9092").topicPrefix("us-east.meridian.fleet.config.")
                .topicPattern();
        assertThat(table(mirrorsOfUsEast, "us-east.meridian.fleet.config.prices")).isEqualTo("prices");
        assertThat(mirrorsOfUsEast.matcher("meridian.fleet.config.prices").matches()).isFalse();
        assertThat(mirrorsOfUsEast.matcher("eu-west.meridian.fleet.config.prices").matches()).isFalse();
    }

    private static String table(Pattern pattern, String topic) {
        Matcher matcher = pattern.matcher(topic);
        assertThat(matcher.matches()).as(topic).isTrue();
        return matcher.group("table");
    }
}
