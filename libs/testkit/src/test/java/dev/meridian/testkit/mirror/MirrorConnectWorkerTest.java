package dev.meridian.testkit.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What {@link MirrorConnectWorker} hands Kafka Connect, without starting it: each cluster's login where it belongs,
 * deploy/'s Connect group and topics, Strimzi's connector names. The clusters' settings are stand-ins; only where
 * they end up matters.
 */
class MirrorConnectWorkerTest {

    private static final Map<String, String> WEST = login("west:9094", "meridian-mirror-maker");
    private static final Map<String, String> EAST = login("east:9094", "meridian-mirror-source (east)");
    private static final Map<String, String> CENTRAL = login("central:9094", "meridian-mirror-source (central)");

    private static MirrorConnectWorker.Builder westFromEastAndCentral() {
        return MirrorConnectWorker.builder("eu-west", WEST)
                .source("us-east", EAST, "meridian\\.latency\\.v1")
                .source("eu-central", CENTRAL, "meridian\\.cost\\.spend\\.v1");
    }

    @Test
    void theWorkerAndEveryClientItLendsItsTasksLogInToTheTargetAsTheTargetsUser() {
        Map<String, String> worker = westFromEastAndCentral().workerProperties();

        for (String prefix : List.of("", "producer.", "consumer.", "admin.")) {
            WEST.forEach((key, value) -> assertThat(worker).as("%s%s", prefix, key).containsEntry(prefix + key, value));
        }
        assertThat(worker).containsEntry("group.id", MultiRegionKafka.CONNECT_GROUP)
                .containsEntry("config.storage.topic", "mirrormaker2-cluster-configs")
                .containsEntry("offset.storage.topic", "mirrormaker2-cluster-offsets")
                .containsEntry("status.storage.topic", "mirrormaker2-cluster-status")
                .containsEntry("header.converter", MirrorConnectWorker.BYTE_ARRAY_CONVERTER);
        assertThat(worker.values()).as("no source's login reaches the worker")
                .noneMatch(value -> value.contains("mirror-source"));
    }

    @Test
    void eachSourceGetsASourceAndAHeartbeatConnectorNamedAsStrimziNamesThem() {
        Map<String, Map<String, String>> connectors = westFromEastAndCentral().connectorConfigs();

        assertThat(connectors).containsOnlyKeys("us-east->eu-west.MirrorSourceConnector",
                "us-east->eu-west.MirrorHeartbeatConnector", "eu-central->eu-west.MirrorSourceConnector",
                "eu-central->eu-west.MirrorHeartbeatConnector");
        Map<String, String> east = connectors.get("us-east->eu-west.MirrorSourceConnector");
        assertThat(east).containsEntry("name", "us-east->eu-west.MirrorSourceConnector")
                .containsEntry("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector")
                .containsEntry("source.cluster.alias", "us-east").containsEntry("target.cluster.alias", "eu-west")
                .containsEntry("topics", "meridian\\.latency\\.v1")
                .containsEntry("offset-syncs.topic.location", "target")
                .containsEntry("sync.topic.acls.enabled", "false");
        EAST.forEach((key, value) -> assertThat(east).containsEntry("source.cluster." + key, value));
        WEST.forEach((key, value) -> assertThat(east).containsEntry("target.cluster." + key, value));
        assertThat(connectors.get("eu-central->eu-west.MirrorSourceConnector"))
                .containsEntry("source.cluster.bootstrap.servers", "central:9094")
                .containsEntry("topics", "meridian\\.cost\\.spend\\.v1");
        assertThat(connectors.get("us-east->eu-west.MirrorHeartbeatConnector"))
                .containsEntry("connector.class", "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector")
                .containsEntry("target.cluster.bootstrap.servers", "west:9094").doesNotContainKey("topics");
    }

    @Test
    void aFlowsPropertyWinsOverEveryConnectorsAndHeartbeatsCanBeLeftOut() {
        Map<String, Map<String, String>> connectors = westFromEastAndCentral().heartbeats(false)
                .connectorProperty("emit.offset-syncs.enabled", "true")
                .connectorProperty("sync.topic.configs.enabled", "true")
                .flowProperty("us-east", "sync.topic.configs.enabled", "false")
                .connectorConfigs();

        assertThat(connectors).containsOnlyKeys("us-east->eu-west.MirrorSourceConnector",
                "eu-central->eu-west.MirrorSourceConnector");
        assertThat(connectors.get("us-east->eu-west.MirrorSourceConnector"))
                .containsEntry("emit.offset-syncs.enabled", "true")
                .containsEntry("sync.topic.configs.enabled", "false");
        assertThat(connectors.get("eu-central->eu-west.MirrorSourceConnector"))
                .containsEntry("emit.offset-syncs.enabled", "true")
                .containsEntry("sync.topic.configs.enabled", "true");
    }

    @Test
    void aSourceMustBeAnotherClusterWithBootstrapServers() {
        assertThatThrownBy(() -> MirrorConnectWorker.builder("eu-west", WEST).source("eu-west", EAST, ".*"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MirrorConnectWorker.builder("eu-west", WEST).source("us.east", EAST, ".*"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MirrorConnectWorker.builder("eu-west", WEST)
                .source("us-east", Map.of("security.protocol", "SASL_SSL"), ".*"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrap");
        assertThatThrownBy(() -> MirrorConnectWorker.builder("eu-west", WEST).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no source");
    }

    @Test
    void aSecureFleetRefusesAClustersMirrorMakerSettingBeforeStartingAnyCluster() {
        // Each cluster's client settings are the fleet's logins; dedicated mode's "<alias>." keys have no place.
        assertThatThrownBy(() -> MultiRegionKafka.builder().regions("us-east", "eu-west").secure(true)
                .mirrorProperty("us-east.consumer.max.poll.records", "10").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("us-east.consumer.max.poll.records");
    }

    private static Map<String, String> login(String bootstrap, String user) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", "ScramLoginModule required username=\"" + user + "\" password=\"x\";");
        return Map.copyOf(settings);
    }
}
