package dev.meridian.testkit.quarkus;

import dev.meridian.testkit.postgres.PostgresServer;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real PostgreSQL (logical decoding on) for a {@code @QuarkusTest}, configured as the default datasource:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(PostgresTestResource.class)
 * class AuditStoreTest { ... }
 * }</pre>
 *
 * Init args: {@code database}: create this database and point the datasource at it (default: {@code postgres});
 * {@code tls} (default false): the server speaks TLS 1.3 only and refuses plaintext, and the datasource URL verifies it
 * ({@code sslmode=verify-full} against this run's CA), as deploy/ configures production.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_ARG = "database";
    public static final String TLS_ARG = "tls";

    private String database = PostgresServer.DEFAULT_DATABASE;
    private boolean tls;
    private PostgresServer server;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault(DATABASE_ARG, PostgresServer.DEFAULT_DATABASE);
        tls = Boolean.parseBoolean(initArgs.getOrDefault(TLS_ARG, "false"));
    }

    @Override
    public Map<String, String> start() {
        server = PostgresServer.builder().tls(tls).start();
        if (!PostgresServer.DEFAULT_DATABASE.equals(database)) {
            server.createDatabase(database);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
