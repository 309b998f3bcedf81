package dev.meridian.testkit.junit;

import dev.meridian.testkit.postgres.PostgresServer;

import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link PostgresServer} (logical decoding on) before the test class and stops it after:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension POSTGRES = PostgresExtension.create();
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<PostgresServer.Builder> customizer;
    private PostgresServer server;
    private String owner;

    private PostgresExtension(UnaryOperator<PostgresServer.Builder> customizer) {
        this.customizer = customizer;
    }

    public static PostgresExtension create() {
        return new PostgresExtension(UnaryOperator.identity());
    }

    /** A server with extra settings, e.g. {@code b -> b.serverConfig("max_connections", "50")}. */
    public static PostgresExtension of(UnaryOperator<PostgresServer.Builder> customizer) {
        return new PostgresExtension(customizer);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // @Nested classes run beforeAll again on the inherited extension: keep the outer class's server.
        if (server == null) {
            server = customizer.apply(PostgresServer.builder()).start();
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null && context.getUniqueId().equals(owner)) {
            try {
                server.close();
            } finally {
                server = null;
                owner = null;
            }
        }
    }

    public PostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("PostgreSQL not started: register the extension on a static field");
        }
        return server;
    }

    public DataSource dataSource() {
        return server().dataSource();
    }

    public String jdbcUrl() {
        return server().jdbcUrl();
    }
}
