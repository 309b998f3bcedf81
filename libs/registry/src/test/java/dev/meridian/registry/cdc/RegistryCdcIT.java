package dev.meridian.registry.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.contracts.cloudevents.CloudEventHeaders;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.topic.TopicCatalog;
import dev.meridian.registry.config.Budget;
import dev.meridian.registry.config.ChangeOp;
import dev.meridian.registry.config.FleetChange;
import dev.meridian.registry.config.FleetConfig;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.PolicyOverride;
import dev.meridian.registry.config.Price;
import dev.meridian.registry.config.Region;
import dev.meridian.registry.config.Zone;
import dev.meridian.registry.schema.RegistrySchema;
import dev.meridian.testkit.connect.ConnectWorker;
import dev.meridian.testkit.junit.KafkaClusterExtension;
import dev.meridian.testkit.junit.PostgresExtension;
import dev.meridian.testkit.postgres.PostgresServer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole path on real servers: SQL in PostgreSQL, Debezium in a Kafka Connect worker, the topics, and
 * FleetConfig reading them. One database, broker and worker for the class; each test changes rows of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryCdcIT {

    private static final String DATABASE = "registry";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant JAN = Instant.parse("2026-01-15T00:00:00Z");

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.of(builder -> builder.tls(true));

    private static DataSource dataSource;
    private static ConnectWorker worker;
    private static FleetConfig fleetConfig;
    private static final List<Received> received = new CopyOnWriteArrayList<>();

    /** A change as a listener saw it, with when. */
    record Received(FleetChange<?> change, long atNanos) {
    }

    @BeforeAll
    static void startPipeline() throws Exception {
        PostgresServer pg = POSTGRES.server();
        pg.createDatabase(DATABASE);
        dataSource = pg.dataSource(DATABASE);
        RegistrySchema.migrate(dataSource, true);
        // Logins of a region team and of the admins, as a DBA sets them up (the owner, which ran the seed, is neither).
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String team : List.of("registry_admin", "registry_region_eu_central")) {
                s.execute("CREATE ROLE " + team + " NOLOGIN");
                s.execute("GRANT USAGE ON SCHEMA config TO " + team);
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA config TO " + team);
                s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA config TO " + team);
            }
            s.execute("CREATE ROLE alice LOGIN IN ROLE registry_region_eu_central");
            s.execute("CREATE ROLE carol LOGIN IN ROLE registry_admin");
        }
        // The seed leaves the allow list empty (a one-region zone has no failover by design); an explicit
        // exception is exactly what the table is for.
        sql("ops-lead", "INSERT INTO config.region_allow_list (client_region, serving_region, reason)"
                + " VALUES ('ap-southeast', 'us-west', 'latency trial for Sydney clients')");

        worker = ConnectWorker.builder(KAFKA.bootstrapServers()).start();
        worker.putConnector(RegistryConnector.NAME, RegistryConnector.builder()
                .database(pg.host(), pg.port(), DATABASE)
                .credentials(pg.username(), pg.password())
                .verifiedTls(pg.tlsRootCertificate().toString())
                .pollInterval(Duration.ofMillis(10))
                .heartbeatInterval(Duration.ofSeconds(1))
                .replicationFactor(1)
                .build());
        worker.awaitRunning(RegistryConnector.NAME, WAIT);

        fleetConfig = FleetConfig.builder(KAFKA.bootstrapServers()).pollTimeout(Duration.ofMillis(20)).start();
        fleetConfig.addListener(change -> received.add(new Received(change, System.nanoTime())));
        assertThat(fleetConfig.awaitCaughtUp(WAIT)).as("caught up").isTrue();
    }

    @AfterAll
    static void stopPipeline() {
        if (fleetConfig != null) {
            fleetConfig.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    /**
     * Runs statements in one transaction as the owner's login, declaring the name {@code declared} (null: leave
     * meridian.actor unset).
     */
    private static void sql(String declared, String... statements) throws SQLException {
        sqlAs(dataSource, declared, statements);
    }

    /** Runs statements in one transaction on {@code source}'s login, declaring the name {@code declared} (or not). */
    private static void sqlAs(DataSource source, String declared, String... statements) throws SQLException {
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            if (declared != null) {
                s.execute("SET LOCAL " + RegistrySchema.ACTOR_SETTING + " = '" + declared + "'");
            }
            for (String statement : statements) {
                s.execute(statement);
            }
            c.commit();
        }
    }

    private static DataSource login(String user, String applicationName) {
        org.postgresql.ds.PGSimpleDataSource source =
                (org.postgresql.ds.PGSimpleDataSource) POSTGRES.server().dataSource(DATABASE);
        source.setUser(user);
        source.setApplicationName(applicationName);
        return source;
    }

    private static String owner() {
        return POSTGRES.server().username();
    }

    private static boolean declared(FleetChange<?> change, String name) {
        return change.declaredActor().equals(Optional.of(name));
    }

    private static <T> FleetChange<T> awaitChange(Class<T> type, Predicate<FleetChange<T>> match) {
        return await().atMost(WAIT).until(() -> find(type, match), found -> !found.isEmpty()).get(0);
    }

    private static <T> List<FleetChange<T>> find(Class<T> type, Predicate<FleetChange<T>> match) {
        List<FleetChange<T>> found = new ArrayList<>();
        for (Received r : received) {
            r.change().as(type).filter(match).ifPresent(found::add);
        }
        return found;
    }

    @Test
    @Order(1)
    void seedReachesFleetConfigWithExactPrices() {
        await().atMost(WAIT).until(() -> fleetConfig.current().budgets().size() == 7
                && fleetConfig.current().prices().size() == 62 && fleetConfig.current().pools().size() == 11
                && fleetConfig.current().policyOverrides().size() == 1);

        assertThat(fleetConfig.regionsIn(Zone.US)).extracting(Region::name).containsExactly("us-east", "us-west");
        assertThat(fleetConfig.regionsIn(Zone.EU)).extracting(Region::name).containsExactly("eu-central", "eu-west");
        assertThat(fleetConfig.servingRegions("ap-southeast")).containsExactlyInAnyOrder("ap-southeast", "us-west");
        assertThat(fleetConfig.servingRegions("eu-west")).containsExactlyInAnyOrder("eu-west", "eu-central");
        assertThat(fleetConfig.servingRegions("sa-east")).isEmpty();

        Price p5 = fleetConfig.price("us-east", "p5.48xlarge", CapacityType.ON_DEMAND, JAN).orElseThrow();
        assertThat(p5.hourlyPrice()).isEqualTo(new BigDecimal("98.3200"));
        assertThat(p5.hourlyPrice().toPlainString()).isEqualTo("98.3200");
        // The seed declared itself "meridian-seed"; the actor is the login that ran it.
        assertThat(p5.changedBy()).isEqualTo(owner());
        NodePool core = fleetConfig.pool("eu-central", "gpu-core").orElseThrow();
        assertThat(core.instanceTypes()).containsExactly("g5.48xlarge", "p4d.24xlarge", "p5.48xlarge");
        assertThat(core.tags()).containsEntry("team", "serving").containsEntry("task", "inference");
        assertThat(fleetConfig.budget("global")).get().extracting(Budget::monthlyAmount)
                .isEqualTo(new BigDecimal("2500000.00"));
        assertThat(fleetConfig.policyOverride("us-east", "gpu-batch").orElseThrow().sustainWindows()).hasValue(6);
    }

    @Test
    @Order(1)
    void debeziumReadsTheWalOverTls13() throws SQLException {
        // The server refuses plaintext TCP (PostgresTlsIT); this shows the connector's replication stream is the TLS
        // one, with the server verified against the CA it was given (verify-full).
        assertThat(RegistryConnector.builder().database("h", 5432, "d").credentials("u", "p")
                .verifiedTls("/ca.crt").build()).containsEntry("database.sslmode", "verify-full");
        // The stream starts once the snapshot is done: wait for it rather than assume it.
        List<String> stream = await().atMost(WAIT).until(RegistryCdcIT::replicationTransport, rows -> !rows.isEmpty());
        assertThat(stream).containsOnly("true TLSv1.3");
    }

    /** Each replication connection's TLS state, as "ssl version". */
    private static List<String> replicationTransport() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT l.ssl, l.version FROM pg_stat_replication r"
                        + " JOIN pg_stat_ssl l ON l.pid = r.pid")) {
            while (rs.next()) {
                rows.add(rs.getBoolean(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    @Order(2)
    void priceChangeArrivesWithBeforeAfterActorAndExactDecimals() throws SQLException {
        sql("alice@pricing", "UPDATE config.prices SET hourly_price = 36.1234 WHERE region = 'eu-west'"
                + " AND instance_type = 'p4d.24xlarge' AND capacity_type = 'ON_DEMAND'");

        FleetChange<Price> change = awaitChange(Price.class, c -> c.op() == ChangeOp.UPDATE
                && c.after().get().region().equals("eu-west") && c.after().get().instanceType().equals("p4d.24xlarge"));
        assertThat(change.actor()).isEqualTo(owner());
        assertThat(change.declaredActor()).hasValue("alice@pricing");
        assertThat(change.before().orElseThrow().hourlyPrice().toPlainString()).isEqualTo("36.0499");
        assertThat(change.after().orElseThrow().hourlyPrice().toPlainString()).isEqualTo("36.1234");
        assertThat(fleetConfig.price("eu-west", "p4d.24xlarge", CapacityType.ON_DEMAND, JAN)).get()
                .extracting(Price::hourlyPrice).isEqualTo(new BigDecimal("36.1234"));
    }

    @Test
    @Order(2)
    void poolResizeWithoutAnActorSettingDeclaresTheApplicationName() throws SQLException {
        org.postgresql.ds.PGSimpleDataSource console =
                (org.postgresql.ds.PGSimpleDataSource) POSTGRES.server().dataSource(DATABASE);
        console.setApplicationName("ops-console");
        try (Connection c = console.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE config.node_pools SET min_size = 4, max_size = 32 WHERE region = 'us-west'"
                    + " AND name = 'gpu-core'");
        }

        FleetChange<NodePool> change = awaitChange(NodePool.class, c -> c.op() == ChangeOp.UPDATE
                && c.after().get().region().equals("us-west") && c.after().get().name().equals("gpu-core"));
        assertThat(change.actor()).isEqualTo(owner());
        assertThat(change.declaredActor()).hasValue("ops-console");
        assertThat(change.before().orElseThrow().maxSize()).isEqualTo(16);
        assertThat(change.after().orElseThrow().maxSize()).isEqualTo(32);
        assertThat(change.after().orElseThrow().minSize()).isEqualTo(4);
        assertThat(fleetConfig.pool("us-west", "gpu-core")).get().extracting(NodePool::maxSize).isEqualTo(32);
    }

    @Test
    @Order(2)
    void budgetChangeArrives() throws SQLException {
        sql("finance-bot", "UPDATE config.budgets SET monthly_amount = 475000.50 WHERE scope = 'region:eu-west'");

        FleetChange<Budget> change = awaitChange(Budget.class, c -> c.op() == ChangeOp.UPDATE
                && c.after().get().scope().equals("region:eu-west"));
        assertThat(change.actor()).isEqualTo(owner());
        assertThat(change.declaredActor()).hasValue("finance-bot");
        assertThat(change.before().orElseThrow().monthlyAmount()).isEqualTo(new BigDecimal("450000.00"));
        assertThat(change.after().orElseThrow().monthlyAmount()).isEqualTo(new BigDecimal("475000.50"));
        assertThat(fleetConfig.budget("region:eu-west")).get().extracting(Budget::monthlyAmount)
                .isEqualTo(new BigDecimal("475000.50"));
    }

    @Test
    @Order(2)
    void deletionArrivesWithTheDeletersNameNotTheLastWriters() throws SQLException {
        // A budget without a region is the admins': carol's login is one.
        sqlAs(login("carol", ""), "carol@finance", "DELETE FROM config.budgets WHERE scope = 'team:research'");

        FleetChange<Budget> change = awaitChange(Budget.class, c -> c.op() == ChangeOp.DELETE
                && c.before().get().scope().equals("team:research"));
        assertThat(change.actor()).isEqualTo("carol");
        assertThat(change.declaredActor()).hasValue("carol@finance");
        assertThat(change.before().orElseThrow().changedBy()).isEqualTo(owner());
        assertThat(change.after()).isEmpty();
        assertThat(fleetConfig.budget("team:research")).isEmpty();

        // Debezium follows the delete with a tombstone so compaction can drop the row.
        List<ConsumerRecord<byte[], byte[]>> records = readAll(TopicCatalog.fleetConfigTopic("budgets"));
        ConsumerRecord<byte[], byte[]> last = records.get(records.size() - 1);
        assertThat(json(last.key()).path("scope").asText()).isEqualTo("team:research");
        assertThat(last.value()).isNull();
    }

    @Test
    @Order(2)
    void aLoginIsTheActorWhateverNameItDeclares() throws SQLException {
        sqlAs(login("alice", "mallory"), "bob",
                "UPDATE config.node_pools SET max_size = 20 WHERE region = 'eu-central' AND name = 'gpu-core'",
                "DELETE FROM config.prices WHERE region = 'eu-central' AND instance_type = 'c7i.8xlarge'"
                        + " AND capacity_type = 'SPOT'");

        FleetChange<NodePool> update = awaitChange(NodePool.class, c -> c.op() == ChangeOp.UPDATE
                && c.after().get().region().equals("eu-central") && c.after().get().name().equals("gpu-core"));
        assertThat(update.actor()).isEqualTo("alice");
        assertThat(update.after().orElseThrow().changedBy()).isEqualTo("alice");
        assertThat(update.declaredActor()).hasValue("bob");
        // The delete's attribution comes from the change log of its transaction: the same login, the same declared name.
        FleetChange<Price> delete = awaitChange(Price.class, c -> c.op() == ChangeOp.DELETE
                && c.before().get().region().equals("eu-central") && c.before().get().instanceType().equals("c7i.8xlarge")
                && c.before().get().capacityType() == CapacityType.SPOT);
        assertThat(delete.actor()).isEqualTo("alice");
        assertThat(delete.declaredActor()).hasValue("bob");
        assertThat(received).noneMatch(r -> r.change().actor().equals("bob") || r.change().actor().equals("mallory"));
    }

    @Test
    @Order(3)
    void truncateArrivesAsTheRemovalOfEveryRowWithTheActor() throws SQLException {
        sql("dave", "TRUNCATE config.policy_overrides");

        FleetChange<PolicyOverride> change = awaitChange(PolicyOverride.class, c -> c.op() == ChangeOp.TRUNCATE);
        assertThat(change.actor()).isEqualTo(owner());
        assertThat(change.declaredActor()).hasValue("dave");
        assertThat(change.before().orElseThrow().pool()).isEqualTo("gpu-batch");
        assertThat(fleetConfig.current().policyOverrides()).isEmpty();

        List<ConsumerRecord<byte[], byte[]>> records = readAll(TopicCatalog.fleetConfigTopic("policy_overrides"));
        ConsumerRecord<byte[], byte[]> truncate = records.get(records.size() - 1);
        assertThat(json(truncate.value()).path("op").asText()).isEqualTo("t");
        assertThat(json(truncate.key()).path(CloudEventsTransform.TRUNCATE_KEY_FIELD).asText())
                .isEqualTo("config.policy_overrides");
    }

    @Test
    @Order(4)
    void refusedChangePublishesNothing() throws SQLException {
        Map<String, Long> before = endOffsets();

        assertThatThrownBy(() -> sql("mallory", "UPDATE config.prices SET hourly_price = -1 WHERE region = 'us-east'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("hourly_price_check");
        assertThatThrownBy(() -> sql("mallory", "INSERT INTO config.regions (name, zone, display_name)"
                + " VALUES ('sa-east', 'LATAM', 'Sao Paulo')")).isInstanceOf(SQLException.class);
        // A later, valid change proves the pipeline moved past the point where the refused ones would be.
        sql("marker", "UPDATE config.regions SET display_name = 'Asia Pacific (Singapore) 1' WHERE name = 'ap-southeast'");
        awaitChange(Region.class, c -> declared(c, "marker"));

        Map<String, Long> after = endOffsets();
        for (String table : TopicCatalog.FLEET_CONFIG_TABLES) {
            String topic = TopicCatalog.fleetConfigTopic(table);
            long published = after.get(topic) - before.get(topic);
            long expected = table.equals("regions") || table.equals("change_log") ? 1 : 0;
            assertThat(published).as(topic).isEqualTo(expected);
        }
        assertThat(received).noneMatch(r -> declared(r.change(), "mallory"));
        assertThat(fleetConfig.current().region("sa-east")).isEmpty();
    }

    @Test
    @Order(5)
    void changeMadeWhileTheWorkerIsStoppedArrivesAfterRestartOnce() throws SQLException {
        worker.stop();
        sql("eve", "UPDATE config.prices SET hourly_price = 1.5708 WHERE region = 'ap-southeast'"
                + " AND instance_type = 'c7i.4xlarge' AND capacity_type = 'SPOT'");
        worker.start();
        worker.awaitRunning(RegistryConnector.NAME, WAIT);

        FleetChange<Price> change = awaitChange(Price.class, c -> declared(c, "eve"));
        assertThat(change.after().orElseThrow().hourlyPrice()).isEqualTo(new BigDecimal("1.5708"));
        sql("marker-after-restart", "UPDATE config.regions SET display_name = 'Asia Pacific (Singapore)'"
                + " WHERE name = 'ap-southeast'");
        awaitChange(Region.class, c -> declared(c, "marker-after-restart"));

        assertThat(find(Price.class, c -> declared(c, "eve"))).hasSize(1);
        long onTopic = readAll(TopicCatalog.fleetConfigTopic("prices")).stream()
                .filter(r -> r.value() != null)
                .filter(r -> json(r.value()).path("after").path("declared_by").asText().equals("eve"))
                .count();
        assertThat(onTopic).isEqualTo(1);
    }

    @Test
    @Order(6)
    void topicsAreCompactedKeyedByPrimaryKeyAndCarryCloudEvents() throws Exception {
        List<String> topics = TopicCatalog.FLEET_CONFIG_TABLES.stream().map(TopicCatalog::fleetConfigTopic).toList();
        try (Admin admin = Admin.create(KAFKA.cluster().adminConfig())) {
            Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get();
            for (Map.Entry<ConfigResource, Config> entry : configs.entrySet()) {
                assertThat(entry.getValue().get("cleanup.policy").value()).as(entry.getKey().name()).isEqualTo("compact");
                assertThat(entry.getValue().get("min.compaction.lag.ms").value()).as(entry.getKey().name())
                        .isEqualTo(Long.toString(TopicCatalog.FLEET_CONFIG_MIN_COMPACTION_LAG.toMillis()));
            }
            assertThat(admin.describeTopics(topics).allTopicNames().get().values())
                    .allSatisfy(description -> assertThat(description.partitions()).hasSize(1));
        }

        ConsumerRecord<byte[], byte[]> price = readAll(TopicCatalog.fleetConfigTopic("prices")).stream()
                .filter(r -> r.value() != null).findFirst().orElseThrow();
        assertThat(fieldNames(json(price.key())))
                .containsExactly("region", "instance_type", "capacity_type", "effective_from");
        JsonNode value = json(price.value());
        assertThat(value.path("after").path("hourly_price").isTextual()).as("money travels as a string").isTrue();
        assertThat(header(price, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(header(price, CloudEventHeaders.TYPE)).isEqualTo("dev.meridian.fleet.config.prices.v1");
        assertThat(header(price, CloudEventHeaders.SUBJECT)).isEqualTo(value.path("after").path("region").asText());
        assertThat(header(price, CloudEventHeaders.SOURCE)).isEqualTo(CloudEventsTransform.DEFAULT_SOURCE);
        assertThat(Instant.parse(header(price, CloudEventHeaders.TIME))).isNotNull();
        assertThat(header(price, CloudEventHeaders.ID)).isNotBlank();

        assertThat(fieldNames(json(readAll(TopicCatalog.fleetConfigTopic("regions")).get(0).key())))
                .containsExactly("name");
        assertThat(fieldNames(json(readAll(TopicCatalog.fleetConfigTopic("node_pools")).get(0).key())))
                .containsExactly("region", "name");
    }

    @Test
    @Order(7)
    void insertReachesFleetConfigWellUnderASecond() throws SQLException {
        int samples = 20;
        List<Long> latenciesMicros = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String type = "x9.bench" + i;
            long start;
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                // Timed from the statement, not from opening the connection: a tool holds its connection.
                start = System.nanoTime();
                s.execute("INSERT INTO config.prices (region, instance_type, capacity_type, effective_from, hourly_price)"
                        + " VALUES ('us-east', '" + type + "', 'ON_DEMAND', '2026-01-01Z', 1." + i + ")");
            }
            Received arrival = await().atMost(WAIT).pollInterval(Duration.ofMillis(1))
                    .until(() -> received.stream().filter(r -> r.change().after()
                            .filter(row -> row instanceof Price p && p.instanceType().equals(type)).isPresent())
                            .findFirst(), found -> found.isPresent()).get();
            latenciesMicros.add((arrival.atNanos() - start) / 1_000);
        }
        List<Long> sorted = latenciesMicros.stream().sorted().toList();
        long median = sorted.get(samples / 2);
        long p95 = sorted.get((int) Math.ceil(samples * 0.95) - 1);
        long max = sorted.get(samples - 1);
        System.out.printf("registry insert -> FleetConfig listener latency (n=%d, poll.interval.ms=10):"
                + " median %.1f ms, p95 %.1f ms, max %.1f ms%n", samples, median / 1000.0, p95 / 1000.0, max / 1000.0);
        assertThat(median).as("median latency in µs").isLessThan(500_000);
        assertThat(max).as("max latency in µs").isLessThan(1_000_000);
    }

    private static Map<String, Long> endOffsets() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = TopicCatalog.FLEET_CONFIG_TABLES.stream()
                    .map(t -> new TopicPartition(TopicCatalog.fleetConfigTopic(t), 0)).toList();
            Map<String, Long> ends = new HashMap<>();
            consumer.endOffsets(partitions).forEach((tp, offset) -> ends.put(tp.topic(), offset));
            return ends;
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return consumer.position(partition) >= end;
            });
            return records;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return ContractJson.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
