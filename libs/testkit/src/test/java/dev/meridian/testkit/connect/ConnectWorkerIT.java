package dev.meridian.testkit.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import dev.meridian.testkit.junit.PostgresExtension;
import dev.meridian.testkit.postgres.PostgresServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

// Bounds a hung server to one test instead of the whole build (the build machine is shared).
@Timeout(120)
class ConnectWorkerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    // No catalog topics: the worker must create meridian.fleet.config.* itself (auto-create is off).
    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.create();

    @Test
    void debeziumCapturesSnapshotAndInsertedRowsIntoTheFleetConfigTopic() throws Exception {
        PostgresServer pg = POSTGRES.server();
        pg.execute("CREATE SCHEMA IF NOT EXISTS config");
        pg.execute("CREATE TABLE config.regions (id text PRIMARY KEY, zone text NOT NULL)");
        pg.execute("ALTER TABLE config.regions REPLICA IDENTITY FULL");
        pg.execute("INSERT INTO config.regions VALUES ('us-east', 'US')");
        String topic = TopicCatalog.fleetConfigTopic("regions");

        try (ConnectWorker worker = ConnectWorker.builder(KAFKA.bootstrapServers()).start()) {
            worker.putConnector("registry", debezium(pg, "regions", "regions_slot", true));
            worker.awaitRunning("registry", Duration.ofSeconds(30));
            pg.execute("INSERT INTO config.regions VALUES ('eu-west', 'EU')");

            List<JsonNode> events = consume(topic, 2);
            assertThat(events).extracting(e -> e.path("op").asText() + ":" + e.path("after").path("id").asText())
                    .containsExactly("r:us-east", "c:eu-west");
            assertThat(events.get(1).path("after").path("zone").asText()).isEqualTo("EU");
        }

        try (Admin admin = Admin.create(KAFKA.cluster().adminConfig())) {
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                    .all().get().values().iterator().next();
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void restartedWorkerResumesFromTheOffsetsFileAndDeliversChangesMadeWhileStopped(@TempDir Path dir)
            throws Exception {
        PostgresServer pg = POSTGRES.server();
        pg.execute("CREATE SCHEMA IF NOT EXISTS config");
        pg.execute("CREATE TABLE config.node_pools (id text PRIMARY KEY, size int NOT NULL)");
        pg.execute("ALTER TABLE config.node_pools REPLICA IDENTITY FULL");
        pg.execute("INSERT INTO config.node_pools VALUES ('a100', 1)");
        String topic = TopicCatalog.fleetConfigTopic("node_pools");
        Path offsets = dir.resolve("offsets.dat");

        try (ConnectWorker worker = ConnectWorker.builder(KAFKA.bootstrapServers()).offsetsFile(offsets).build()) {
            worker.start();
            // The slot must outlive the worker so changes made while it is down are kept for it.
            worker.putConnector("pools", debezium(pg, "node_pools", "pools_slot", false));
            worker.awaitRunning("pools", Duration.ofSeconds(30));
            assertThat(consume(topic, 1)).extracting(e -> e.path("after").path("id").asText()).containsExactly("a100");

            worker.stop();
            assertThat(Files.size(offsets)).isPositive();
            pg.execute("UPDATE config.node_pools SET size = 2 WHERE id = 'a100'");

            worker.start();
            worker.awaitRunning("pools", Duration.ofSeconds(30));
            List<JsonNode> events = consume(topic, 2);
            assertThat(events).extracting(e -> e.path("op").asText()).containsExactly("r", "u");
            assertThat(events.get(1).path("before").path("size").asInt()).isEqualTo(1);
            assertThat(events.get(1).path("after").path("size").asInt()).isEqualTo(2);
        } finally {
            // The worker's replication connection may take a moment to close after stop.
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> pg.execute("SELECT pg_drop_replication_slot('pools_slot')"));
        }
    }

    private static Map<String, String> debezium(PostgresServer pg, String table, String slot, boolean dropSlot) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("plugin.name", "pgoutput");
        config.put("database.hostname", pg.host());
        config.put("database.port", Integer.toString(pg.port()));
        config.put("database.user", pg.username());
        config.put("database.password", pg.password());
        config.put("database.dbname", PostgresServer.DEFAULT_DATABASE);
        // Topics are <prefix>.<schema>.<table>: meridian.fleet.config.<table>.
        config.put("topic.prefix", "meridian.fleet");
        config.put("table.include.list", "config." + table);
        config.put("slot.name", slot);
        config.put("publication.name", slot + "_pub");
        config.put("publication.autocreate.mode", "filtered");
        config.put("snapshot.mode", "initial");
        config.put("slot.drop.on.stop", Boolean.toString(dropSlot));
        config.put("poll.interval.ms", "10");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.put("topic.creation.default.cleanup.policy", "compact");
        return config;
    }

    /** Reads the topic from the start until {@code count} change events arrived (tombstones skipped). */
    private static List<JsonNode> consume(String topic, int count) {
        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() != null) {
                        events.add(parse(record.value()));
                    }
                }
                return events.size() >= count;
            });
            // Nothing beyond the expected events (no re-snapshot, no duplicates) is in the topic.
            long records = consumer.endOffsets(consumer.assignment()).values().stream().mapToLong(Long::longValue).sum();
            assertThat(records).isEqualTo(count);
        }
        assertThat(events).hasSize(count);
        return events;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
