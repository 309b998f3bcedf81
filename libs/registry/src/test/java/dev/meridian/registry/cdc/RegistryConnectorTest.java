package dev.meridian.registry.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RegistryConnectorTest {

    private static Map<String, String> config() {
        return RegistryConnector.builder()
                .database("db.internal", 6543, "meridian")
                .credentials("debezium", "${secrets:meridian/registry-cdc:password}")
                .pollInterval(Duration.ofMillis(10))
                .build();
    }

    @Test
    void capturesTheRegistryTablesIntoTheCatalogTopics() {
        Map<String, String> config = config();

        assertThat(config).containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("topic.prefix", "meridian.fleet")
                .containsEntry("publication.name", "meridian_fleet_config")
                .containsEntry("publication.autocreate.mode", "disabled")
                .containsEntry("table.include.list", "config\\.regions,config\\.region_allow_list,config\\.node_pools,"
                        + "config\\.prices,config\\.budgets,config\\.policy_overrides,config\\.change_log")
                .containsEntry("database.hostname", "db.internal")
                .containsEntry("database.port", "6543")
                .containsEntry("database.password", "${secrets:meridian/registry-cdc:password}");
    }

    @Test
    void keepsMoneyExactCapturesTruncatesAndKeepsTheSlotMoving() {
        assertThat(config()).containsEntry("decimal.handling.mode", "string")
                .containsEntry("skipped.operations", "none")
                .containsEntry("poll.interval.ms", "10")
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry("heartbeat.action.query", RegistryConnector.HEARTBEAT_QUERY)
                .containsEntry("slot.drop.on.stop", "false");
    }

    @Test
    void createdTopicsAreCompactedWithTheCatalogsCompactionLag() {
        assertThat(config()).containsEntry("topic.creation.default.cleanup.policy", "compact")
                .containsEntry("topic.creation.default.min.compaction.lag.ms", Long.toString(Duration.ofDays(7).toMillis()))
                .containsEntry("topic.creation.default.partitions", "1")
                .containsEntry("topic.creation.default.replication.factor", "-1");
    }

    @Test
    void addsTheCloudEventsTransform() {
        assertThat(config()).containsEntry("transforms", "cloudevents")
                .containsEntry("transforms.cloudevents.type", CloudEventsTransform.class.getName())
                .containsEntry("transforms.cloudevents.ce.source", CloudEventsTransform.DEFAULT_SOURCE);
    }

    @Test
    void overridesComeLastAndTheDatabaseIsRequired() {
        assertThat(RegistryConnector.builder().database("h", 5432, "d").credentials("u", "p")
                .property("snapshot.mode", "no_data").build())
                .containsEntry("snapshot.mode", "no_data");
        assertThatThrownBy(() -> RegistryConnector.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RegistryConnector.builder().database("h", 5432, "d").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RegistryConnector.builder().pollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
