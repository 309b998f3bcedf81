package dev.meridian.registry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.testkit.junit.PostgresExtension;
import dev.meridian.testkit.postgres.PostgresServer;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The migrations and seed against a real PostgreSQL: what the database itself guarantees. */
class RegistrySchemaIT {

    private static final String DATABASE = "registry_schema";

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.create();

    private static DataSource dataSource;

    @BeforeAll
    static void migrate() throws SQLException {
        PostgresServer server = POSTGRES.server();
        server.createDatabase(DATABASE);
        dataSource = server.dataSource(DATABASE);
        // The schema (V1, V2 region teams, V3 authenticated actor) and the seed.
        assertThat(RegistrySchema.migrate(dataSource, true)).isEqualTo(4);
        // Region teams as a DBA sets them up: roles with the table rights, logins that are members.
        try (Connection owner = dataSource.getConnection(); Statement s = owner.createStatement()) {
            for (String team : List.of("registry_region_eu_west", "registry_region_ap_southeast")) {
                s.execute("CREATE ROLE " + team + " NOLOGIN");
                s.execute("GRANT USAGE ON SCHEMA config TO " + team);
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA config TO " + team);
                s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA config TO " + team);
            }
            s.execute("CREATE ROLE eu_ops LOGIN IN ROLE registry_region_eu_west");
            s.execute("CREATE ROLE apac_ops LOGIN IN ROLE registry_region_ap_southeast");
            s.execute("CREATE ROLE alice LOGIN IN ROLE registry_region_eu_west");
        }
    }

    private static DataSource withApplicationName(String applicationName) {
        PGSimpleDataSource source = (PGSimpleDataSource) POSTGRES.server().dataSource(DATABASE);
        source.setApplicationName(applicationName);
        return source;
    }

    private static List<String> column(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static String single(Connection connection, String sql) throws SQLException {
        List<String> values = column(connection, sql);
        assertThat(values).as(sql).hasSize(1);
        return values.get(0);
    }

    @Test
    void seedLoadsFiveRegionsInThreeZonesWithPoolsPricesAndBudgets() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertThat(column(c, "SELECT name || ':' || zone FROM config.regions ORDER BY name")).containsExactly(
                    "ap-southeast:APAC", "eu-central:EU", "eu-west:EU", "us-east:US", "us-west:US");
            assertThat(column(c, "SELECT region || '/' || name FROM config.node_pools WHERE tier = 'CORE_GPU'"
                    + " AND name = 'gpu-core'")).hasSize(5);
            assertThat(column(c, "SELECT region FROM config.node_pools WHERE tier = 'EDGE_CPU'")).hasSize(5);
            assertThat(single(c, "SELECT count(*) FROM config.prices")).isEqualTo("62");
            assertThat(single(c, "SELECT hourly_price FROM config.prices WHERE region = 'us-east'"
                    + " AND instance_type = 'p5.48xlarge' AND capacity_type = 'ON_DEMAND'")).isEqualTo("98.3200");
            assertThat(column(c, "SELECT scope FROM config.budgets ORDER BY scope")).containsExactly("global",
                    "region:ap-southeast", "region:eu-central", "region:eu-west", "region:us-east", "region:us-west",
                    "team:research");
            // The seed declares itself; the actor is the login that ran it.
            assertThat(column(c, "SELECT DISTINCT changed_by || '|' || declared_by FROM config.prices"))
                    .containsExactly(POSTGRES.server().username() + "|meridian-seed");
            // Every pool type is priced in its region, on demand and spot.
            assertThat(single(c, "SELECT count(*) FROM config.node_pools p, unnest(p.instance_types) t(type)"
                    + " CROSS JOIN (VALUES ('ON_DEMAND'), ('SPOT')) AS k(capacity)"
                    + " WHERE NOT EXISTS (SELECT 1 FROM config.prices r WHERE r.region = p.region"
                    + " AND r.instance_type = t.type AND r.capacity_type = k.capacity)")).isEqualTo("0");
        }
    }

    @Test
    void aRegionTeamChangesOnlyItsRegionsRowsEvenWithPlainSql() throws SQLException {
        String apacPool = "SELECT max_size FROM config.node_pools WHERE region = 'ap-southeast' AND name = 'gpu-core'";
        String before;
        try (Connection owner = dataSource.getConnection()) {
            before = single(owner, apacPool);
        }

        try (Connection eu = as("eu_ops").getConnection(); Statement s = eu.createStatement()) {
            // Another region's rows are not there to change: the update touches nothing.
            assertThat(s.executeUpdate("UPDATE config.node_pools SET max_size = max_size + 1"
                    + " WHERE region = 'ap-southeast' AND name = 'gpu-core'")).isZero();
            assertThat(s.executeUpdate("DELETE FROM config.prices WHERE region = 'ap-southeast'")).isZero();
            // Its own region's are.
            assertThat(s.executeUpdate("UPDATE config.node_pools SET max_size = max_size + 1"
                    + " WHERE region = 'eu-west' AND name = 'gpu-core'")).isEqualTo(1);
            // Neither a new row in another region nor moving its own there: refused.
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO config.node_pools (region, name, tier, min_size,"
                    + " max_size, instance_types, capacity_type, criticality) VALUES ('ap-southeast', 'eu-made',"
                    + " 'CORE_GPU', 0, 1, '{p5.48xlarge}', 'ON_DEMAND', 'CRITICAL')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("row-level security")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            // A budget without a region is the admin's: for a region team it is not there to change either.
            assertThat(s.executeUpdate("UPDATE config.budgets SET monthly_amount = 1 WHERE scope = 'global'")).isZero();
            assertThatThrownBy(() -> s.executeUpdate("UPDATE config.node_pools SET region = 'ap-southeast'"
                    + " WHERE region = 'eu-west' AND name = 'cpu-edge'")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("row-level security");
            // Reading stays open: every region's rows are visible.
            assertThat(single(eu, apacPool)).isEqualTo(before);
        }
        try (Connection apac = as("apac_ops").getConnection(); Statement s = apac.createStatement()) {
            assertThat(s.executeUpdate("UPDATE config.node_pools SET max_size = max_size + 1"
                    + " WHERE region = 'ap-southeast' AND name = 'gpu-core'")).isEqualTo(1);
        }
        try (Connection owner = dataSource.getConnection()) {
            assertThat(single(owner, apacPool)).isEqualTo(String.valueOf(Integer.parseInt(before) + 1));
        }
    }

    private static DataSource as(String login) {
        PGSimpleDataSource source = (PGSimpleDataSource) POSTGRES.server().dataSource(DATABASE);
        source.setUser(login);
        return source;
    }

    private static DataSource as(String login, String applicationName) {
        PGSimpleDataSource source = (PGSimpleDataSource) as(login);
        source.setApplicationName(applicationName);
        return source;
    }

    @Test
    void migratingAgainChangesNothing() {
        assertThat(RegistrySchema.migrate(dataSource, true)).isZero();
        assertThat(RegistrySchema.migrate(dataSource, false)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            negative price       | INSERT INTO config.prices (region, instance_type, capacity_type, effective_from, hourly_price) VALUES ('us-east', 'p5.48xlarge', 'SPOT', '2027-01-01Z', -1) | 23514
            min above max        | UPDATE config.node_pools SET min_size = 20 WHERE region = 'us-east' AND name = 'gpu-core' | 23514
            warm above max       | UPDATE config.node_pools SET warm_size = 99 WHERE region = 'us-east' AND name = 'gpu-core' | 23514
            unknown zone         | INSERT INTO config.regions (name, zone, display_name) VALUES ('sa-east', 'LATAM', 'Sao Paulo') | 23514
            unknown tier         | UPDATE config.node_pools SET tier = 'TPU' WHERE region = 'us-east' AND name = 'gpu-core' | 23514
            empty ladder         | UPDATE config.node_pools SET instance_types = '{}' WHERE region = 'us-east' AND name = 'gpu-core' | 23514
            tags not an object   | UPDATE config.node_pools SET tags = '[1]' WHERE region = 'us-east' AND name = 'gpu-core' | 23514
            pool in unknown region | INSERT INTO config.node_pools (region, name, tier, min_size, max_size, instance_types, capacity_type, criticality) VALUES ('sa-east', 'gpu-core', 'CORE_GPU', 0, 1, '{p5.48xlarge}', 'ON_DEMAND', 'CRITICAL') | 23503
            price in unknown region | INSERT INTO config.prices (region, instance_type, capacity_type, effective_from, hourly_price) VALUES ('sa-east', 'p5.48xlarge', 'SPOT', '2027-01-01Z', 1) | 23503
            overlapping price period | INSERT INTO config.prices (region, instance_type, capacity_type, effective_from, hourly_price) VALUES ('us-east', 'p5.48xlarge', 'ON_DEMAND', '2026-06-01Z', 95) | 23P01
            allow-list to itself | INSERT INTO config.region_allow_list (client_region, serving_region, reason) VALUES ('us-east', 'us-east', 'x') | 23514
            allow-list to unknown region | INSERT INTO config.region_allow_list (client_region, serving_region, reason) VALUES ('us-east', 'mars-1', 'x') | 23503
            zero budget          | UPDATE config.budgets SET monthly_amount = 0 WHERE scope = 'global' | 23514
            region budget without region | INSERT INTO config.budgets (scope_type, monthly_amount) VALUES ('REGION', 10) | 23502
            region budget with a tag | INSERT INTO config.budgets (scope_type, region, tag_key, monthly_amount) VALUES ('REGION', 'us-east', 'team', 10) | 23514
            override target above scale-out | INSERT INTO config.policy_overrides (region, pool, scale_out_utilization, target_utilization) VALUES ('us-east', 'gpu-core', 70, 80) | 23514
            override of unknown pool | INSERT INTO config.policy_overrides (region, pool, sustain_windows) VALUES ('us-east', 'tpu-core', 3) | 23503
            """)
    void refusesNonsense(String what, String sql, String sqlState) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            // Deferred constraints (the price exclusion) are checked at commit: commit is part of the statement.
            assertThatThrownBy(() -> statement.execute(sql))
                    .as(what)
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
        }
    }

    @Test
    void aNewPriceFollowsTheOldOneWhenTheOldPeriodIsClosedInTheSameTransaction() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // Insert first: the deferred exclusion constraint judges the state when it is checked, not per row.
            s.execute("INSERT INTO config.prices (region, instance_type, capacity_type, effective_from, hourly_price)"
                    + " VALUES ('us-west', 'c7i.2xlarge', 'SPOT', '2026-09-01Z', 0.1400)");
            s.execute("UPDATE config.prices SET effective_until = '2026-09-01Z' WHERE region = 'us-west'"
                    + " AND instance_type = 'c7i.2xlarge' AND capacity_type = 'SPOT' AND effective_until IS NULL"
                    + " AND effective_from < '2026-09-01Z'");
            // What COMMIT would check, without leaving the row behind for the other tests.
            s.execute("SET CONSTRAINTS config.prices_no_overlap IMMEDIATE");
            assertThat(column(c, "SELECT hourly_price || '@' || to_char(effective_from AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                    + " FROM config.prices WHERE region = 'us-west' AND instance_type = 'c7i.2xlarge'"
                    + " AND capacity_type = 'SPOT' ORDER BY effective_from"))
                    .containsExactly("0.1499@2026-01-01", "0.1400@2026-09-01");
            c.rollback();
        }
    }

    @Test
    void theActorIsTheLoginAndTheDeclaredNameTheSessionSettingElseTheApplicationName() throws SQLException {
        String owner = POSTGRES.server().username();
        String stamp = "SELECT changed_by || '|' || coalesce(declared_by, '-') FROM config.regions WHERE name = 'us-east'";
        try (Connection c = withApplicationName("ops-console").getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL " + RegistrySchema.ACTOR_SETTING + " = 'alice@pricing'");
            s.execute("UPDATE config.regions SET display_name = 'US East' WHERE name = 'us-east'");
            assertThat(single(c, stamp)).isEqualTo(owner + "|alice@pricing");
            c.commit();

            // SET LOCAL ended with the transaction: the setting now reads '', and application_name is the declared name.
            s.execute("UPDATE config.regions SET display_name = 'US East 1' WHERE name = 'us-east'");
            c.commit();
            assertThat(single(c, stamp)).isEqualTo(owner + "|ops-console");
        }
        try (Connection c = withApplicationName("").getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE config.regions SET display_name = 'US East (N. Virginia)' WHERE name = 'us-east'");
            assertThat(single(c, stamp)).isEqualTo(owner + "|-");
        }
    }

    @Test
    void aLoginIsTheActorWhateverNameItDeclares() throws SQLException {
        String pool = "SELECT changed_by || '|' || declared_by FROM config.node_pools"
                + " WHERE region = 'eu-west' AND name = 'cpu-edge'";
        try (Connection c = as("alice", "mallory").getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL " + RegistrySchema.ACTOR_SETTING + " = 'bob'");
            String xid = single(c, "SELECT txid_current() % 4294967296");
            assertThat(s.executeUpdate("UPDATE config.node_pools SET max_size = max_size + 1"
                    + " WHERE region = 'eu-west' AND name = 'cpu-edge'")).isEqualTo(1);

            assertThat(single(c, pool)).isEqualTo("alice|bob");
            assertThat(single(c, "SELECT table_name || '|' || operation || '|' || actor || '|' || declared_actor || '|'"
                    + " || application_name || '|' || session_user_name FROM config.change_log"
                    + " WHERE transaction_id = " + xid)).isEqualTo("node_pools|UPDATE|alice|bob|mallory|alice");
            c.rollback();
        }
    }

    @Test
    void setRoleDoesNotChangeTheActor() throws SQLException {
        try (Connection c = as("alice", "").getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL ROLE registry_region_eu_west");
            assertThat(single(c, "SELECT current_user || '|' || session_user")).isEqualTo("registry_region_eu_west|alice");
            String xid = single(c, "SELECT txid_current() % 4294967296");
            assertThat(s.executeUpdate("UPDATE config.node_pools SET max_size = max_size + 1"
                    + " WHERE region = 'eu-west' AND name = 'cpu-edge'")).isEqualTo(1);
            s.execute("DELETE FROM config.prices WHERE region = 'eu-west' AND instance_type = 'c7i.8xlarge'"
                    + " AND capacity_type = 'SPOT'");

            assertThat(single(c, "SELECT changed_by FROM config.node_pools WHERE region = 'eu-west' AND name = 'cpu-edge'"))
                    .isEqualTo("alice");
            assertThat(column(c, "SELECT table_name || '|' || operation || '|' || actor FROM config.change_log"
                    + " WHERE transaction_id = " + xid + " ORDER BY id"))
                    .containsExactly("node_pools|UPDATE|alice", "prices|DELETE|alice");
            c.rollback();
        }
    }

    @Test
    void neitherChangedByNorTheChangeLogCanBeForged() throws SQLException {
        String owner = POSTGRES.server().username();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL " + RegistrySchema.ACTOR_SETTING + " = 'alice'");
            s.execute("UPDATE config.budgets SET changed_by = 'mallory', declared_by = 'mallory', monthly_amount = 2500001"
                    + " WHERE scope = 'global'");
            assertThat(single(c, "SELECT changed_by || '|' || declared_by FROM config.budgets WHERE scope = 'global'"))
                    .isEqualTo(owner + "|alice");
            // A log entry written by hand, to name another actor for this transaction's deletes: stamped all the same.
            String xid = single(c, "SELECT txid_current() % 4294967296");
            s.execute("INSERT INTO config.change_log (transaction_id, table_name, operation, actor, declared_actor,"
                    + " session_user_name) VALUES (1, 'budgets', 'DELETE', 'mallory', 'mallory', 'mallory')");
            s.execute("UPDATE config.change_log SET actor = 'mallory' WHERE transaction_id = " + xid);
            assertThat(column(c, "SELECT table_name || '|' || operation || '|' || actor || '|' || declared_actor || '|'"
                    + " || session_user_name FROM config.change_log WHERE transaction_id = " + xid + " ORDER BY id"))
                    .containsExactly("budgets|UPDATE|" + owner + "|alice|" + owner,
                            "budgets|DELETE|" + owner + "|alice|" + owner);
            c.rollback();
        }
    }

    @Test
    void theDeclaredNameIsBoundedAndHasNoControlCharacters() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL " + RegistrySchema.ACTOR_SETTING + " = E'bob\\n2026-01-01 admin\\u0085" + "x".repeat(300)
                    + "'");
            s.execute("UPDATE config.regions SET display_name = 'US East' WHERE name = 'us-east'");
            String declared = single(c, "SELECT declared_by FROM config.regions WHERE name = 'us-east'");
            assertThat(declared).startsWith("bob 2026-01-01 admin x").hasSize(128);
            assertThat(declared.chars()).noneMatch(Character::isISOControl);
            c.rollback();
        }
    }

    @Test
    void deletesAndTruncatesAreLoggedWithActorDeclaredNameAndTransaction() throws SQLException {
        String owner = POSTGRES.server().username();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL " + RegistrySchema.ACTOR_SETTING + " = 'carol'");
            String xid = single(c, "SELECT txid_current() % 4294967296");
            s.execute("DELETE FROM config.budgets WHERE scope = 'team:research'");
            s.execute("TRUNCATE config.policy_overrides");
            assertThat(column(c, "SELECT table_name || ':' || operation || ':' || actor || ':' || declared_actor"
                    + " FROM config.change_log WHERE transaction_id = " + xid + " ORDER BY id"))
                    .containsExactly("budgets:DELETE:" + owner + ":carol", "policy_overrides:TRUNCATE:" + owner + ":carol");
            c.rollback();
        }
    }

    @Test
    void budgetScopeIsDerivedFromWhatTheBudgetCovers() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO config.budgets (scope_type, tag_key, tag_value, monthly_amount)"
                    + " VALUES ('TAG', 'team', 'search', 1234.50)");
            assertThat(new BigDecimal(single(c, "SELECT monthly_amount FROM config.budgets WHERE scope = 'team:search'")))
                    .isEqualByComparingTo("1234.50");
            c.rollback();
        }
    }

    @Test
    void everyCapturedTableHasFullBeforeImagesAndIsPublished() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertThat(column(c, "SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                    + RegistrySchema.PUBLICATION + "' AND schemaname = 'config'"))
                    .containsExactlyInAnyOrderElementsOf(withHeartbeat(RegistrySchema.CAPTURED_TABLES));
            assertThat(column(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'config' AND c.relkind = 'r' AND c.relreplident <> 'f'"
                    + " AND c.relname NOT LIKE 'flyway%'")).isEmpty();
        }
    }

    private static List<String> withHeartbeat(List<String> tables) {
        List<String> all = new ArrayList<>(tables);
        all.add(RegistrySchema.HEARTBEAT_TABLE.substring(RegistrySchema.SCHEMA.length() + 1));
        return all;
    }
}
