package dev.meridian.registry.schema;

import dev.meridian.contracts.topic.TopicCatalog;

import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The fleet registry's PostgreSQL schema: Flyway migrations from {@code classpath:db/migration}, and optionally
 * the sandbox seed from {@code classpath:db/seed}.
 *
 * <p>The seed has its own Flyway history table, so schema migrations added later keep their own version line
 * and a production database, migrated without the seed, never sees seed versions as "missing".
 */
public final class RegistrySchema {

    /** PostgreSQL schema holding every registry table; Debezium names topics after it. */
    public static final String SCHEMA = "config";

    /** Tables captured to {@code meridian.fleet.config.<table>}: the catalog's list, which the migrations follow. */
    public static final List<String> CAPTURED_TABLES = TopicCatalog.FLEET_CONFIG_TABLES;

    /** The publication the migrations create; the connector uses it as is and never alters it. */
    public static final String PUBLICATION = "meridian_fleet_config";

    /** Written by Debezium's heartbeat query; in the publication, never captured to a topic. */
    public static final String HEARTBEAT_TABLE = SCHEMA + ".cdc_heartbeat";

    /**
     * Session setting in which a tool declares a name for its changes, per transaction with {@code SET LOCAL}: kept as
     * the changes' declared name ({@code declared_by}, {@code change_log.declared_actor}), a detail. The actor of a
     * change is always the login ({@code session_user}).
     */
    public static final String ACTOR_SETTING = "meridian.actor";

    static final String SCHEMA_HISTORY = "flyway_schema_history";
    static final String SEED_HISTORY = "flyway_seed_history";

    private RegistrySchema() {
    }

    /**
     * Applies pending schema migrations, then the seed if asked. Safe to call on every start: applied
     * migrations are skipped, and Flyway's lock keeps concurrent callers from applying one twice.
     *
     * @return how many migrations ran (schema and seed together)
     */
    public static int migrate(DataSource dataSource, boolean seed) {
        Objects.requireNonNull(dataSource, "dataSource");
        MigrateResult schema = flyway(dataSource, "classpath:db/migration", SCHEMA_HISTORY)
                .createSchemas(true)
                .load()
                .migrate();
        int executed = schema.migrationsExecuted;
        if (seed) {
            MigrateResult seeded = flyway(dataSource, "classpath:db/seed", SEED_HISTORY)
                    // The schema is not empty when the seed first runs; a baseline below V1 lets V1 apply.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            executed += seeded.migrationsExecuted;
        }
        return executed;
    }

    private static FluentConfiguration flyway(DataSource dataSource, String location, String historyTable) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .table(historyTable)
                .locations(location)
                // Nobody should be able to wipe the source of truth through a configuration mistake.
                .cleanDisabled(true);
    }
}
