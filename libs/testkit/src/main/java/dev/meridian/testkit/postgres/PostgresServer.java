package dev.meridian.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server (zonky's packaged binaries) run as a child process, configured for logical
 * decoding so Debezium can read its write-ahead log.
 *
 * <p>{@link #restart()} stops and starts the same server on the same port and data directory, as a
 * crash-and-recover of a production database would look to its clients.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USERNAME = "postgres";
    public static final String DEFAULT_DATABASE = "postgres";
    private static final System.Logger LOG = System.getLogger(PostgresServer.class.getName());
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Map<String, String> serverConfig;
    private final Path dataDirectory;
    private final boolean ownsDataDirectory;
    private final Duration startupTimeout;
    private EmbeddedPostgres postgres;
    private int port;
    private boolean closed;

    private PostgresServer(Builder builder) throws IOException {
        this.serverConfig = Map.copyOf(builder.serverConfig);
        this.ownsDataDirectory = builder.dataDirectory == null;
        this.dataDirectory = ownsDataDirectory ? Files.createTempDirectory("meridian-pg") : builder.dataDirectory;
        this.startupTimeout = builder.startupTimeout;
        this.postgres = launch(builder.port);
        this.port = postgres.getPort();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server with logical decoding on and the defaults of {@link Builder}. */
    public static PostgresServer startDefault() {
        return builder().start();
    }

    private EmbeddedPostgres launch(int requestedPort) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                // The directory survives restarts; this class deletes it on close when it created it.
                .setCleanDataDirectory(false)
                .setPGStartupWait(startupTimeout)
                // Only the C locales exist on these machines; initdb fails on anything else.
                .setLocaleConfig("locale", "C.UTF-8");
        if (requestedPort > 0) {
            builder.setPort(requestedPort);
        }
        serverConfig.forEach(builder::setServerConfig);
        long started = System.nanoTime();
        EmbeddedPostgres server = builder.start();
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.log(System.Logger.Level.INFO, () -> "PostgreSQL started on port " + server.getPort() + " in " + elapsed + " ms");
        return server;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "localhost";
    }

    public String username() {
        return USERNAME;
    }

    /** The server trusts local connections; any password works, this one keeps clients that insist on one happy. */
    public String password() {
        return "postgres";
    }

    public String jdbcUrl() {
        return jdbcUrl(DEFAULT_DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
    }

    public DataSource dataSource() {
        return dataSource(DEFAULT_DATABASE);
    }

    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host()});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(username());
        dataSource.setPassword(password());
        return dataSource;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Creates a database (lower-case identifier) and returns its JDBC URL. */
    public String createDatabase(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case identifier: " + name);
        }
        execute("CREATE DATABASE " + name);
        return jdbcUrl(name);
    }

    /** Runs one statement against the default database, for setup such as publications or schemas. */
    public void execute(String sql) {
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    /**
     * Stops the server (fast shutdown: open connections are cut, committed data stays) and starts it again
     * on the same port and data directory. Clients must reconnect, as after a real database restart.
     */
    public synchronized void restart() {
        ensureOpen();
        stopServer();
        try {
            postgres = launch(port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart PostgreSQL on port " + port, e);
        }
    }

    private void stopServer() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("PostgreSQL server already closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopServer();
        if (ownsDataDirectory) {
            deleteRecursively(dataDirectory);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + jdbcUrl() + ", data " + dataDirectory + "]";
    }

    public static final class Builder {
        private final Map<String, String> serverConfig = new LinkedHashMap<>();
        private Path dataDirectory;
        private int port;
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder() {
            serverConfig.put("wal_level", "logical");
            // zonky turns this off for speed; CDC then lags ~200 ms behind commits, and a restart test
            // would lose acknowledged commits.
            serverConfig.put("synchronous_commit", "on");
            serverConfig.put("max_replication_slots", "10");
            serverConfig.put("max_wal_senders", "10");
        }

        /** Any {@code postgresql.conf} setting, passed as {@code -c key=value}. */
        public Builder serverConfig(String key, String value) {
            serverConfig.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** Use (and keep) this data directory instead of a temporary one; an initialised one is reused as is. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** A fixed port; by default a free one is picked. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How long to wait for the postmaster to accept connections; unpacking binaries the first time counts. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public PostgresServer start() {
            try {
                return new PostgresServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start PostgreSQL", e);
            }
        }
    }
}
