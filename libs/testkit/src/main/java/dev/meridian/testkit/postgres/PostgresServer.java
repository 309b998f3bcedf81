package dev.meridian.testkit.postgres;

import dev.meridian.testkit.security.TestCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>With {@link Builder#tls(boolean)} the server speaks {@value #TLS_VERSION} only, with a throwaway CA and a
 * certificate for {@code localhost}/{@code 127.0.0.1} made at start ({@link TestCertificates#loopbackServerPem}), and
 * refuses every TCP connection that is not encrypted. {@link #jdbcUrl(String)} and {@link #dataSource(String)} then
 * ask for {@code sslmode=verify-full} against that CA, so their callers get verified TLS without a change.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USERNAME = "postgres";
    public static final String DEFAULT_DATABASE = "postgres";
    /** The only TLS version a {@link Builder#tls(boolean)} server speaks. */
    public static final String TLS_VERSION = "TLSv1.3";
    private static final System.Logger LOG = System.getLogger(PostgresServer.class.getName());
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Map<String, String> serverConfig;
    private final Path dataDirectory;
    private final boolean ownsDataDirectory;
    private final Duration startupTimeout;
    private final Tls tls;
    private EmbeddedPostgres postgres;
    private int port;
    private boolean closed;

    /**
     * What {@link Builder#tls(boolean)} adds: this run's certificates and the pg_hba.conf that demands TLS, in a
     * directory of their own that close deletes. Kept apart from the data directory, which a caller's
     * {@link Builder#dataDirectory} keeps across runs: its pg_hba.conf stays as initdb wrote it.
     */
    private record Tls(Path directory, TestCertificates.PemFiles files, Path hbaFile) {
    }

    /**
     * Loopback TCP only over TLS, with the method initdb gave it (zonky runs {@code initdb -A trust}); the unix socket
     * stays as initdb left it. Plaintext is rejected explicitly rather than left to match nothing, so the refusal names
     * the reason ("no encryption"). Logical replication (Debezium) matches the {@code all} lines; physical replication
     * has lines of its own, as in initdb's file.
     */
    private static final String TLS_HBA = """
            # Written by dev.meridian.testkit.postgres.PostgresServer for tls(true).
            # TYPE    DATABASE     USER  ADDRESS       METHOD
            local     all          all                 trust
            local     replication  all                 trust
            hostssl   all          all   127.0.0.1/32  trust
            hostssl   all          all   ::1/128       trust
            hostssl   replication  all   127.0.0.1/32  trust
            hostssl   replication  all   ::1/128       trust
            hostnossl all          all   0.0.0.0/0     reject
            hostnossl all          all   ::/0          reject
            hostnossl replication  all   0.0.0.0/0     reject
            hostnossl replication  all   ::/0          reject
            """;

    private PostgresServer(Builder builder) throws IOException {
        this.ownsDataDirectory = builder.dataDirectory == null;
        this.dataDirectory = ownsDataDirectory ? Files.createTempDirectory("meridian-pg") : builder.dataDirectory;
        this.startupTimeout = builder.startupTimeout;
        this.tls = builder.tls ? prepareTls() : null;
        this.serverConfig = serverConfig(builder.serverConfig, tls);
        try {
            this.postgres = launch(builder.port);
        } catch (IOException | RuntimeException e) {
            if (tls != null) {
                deleteQuietly(tls.directory());
            }
            throw e;
        }
        this.port = postgres.getPort();
    }

    private static Tls prepareTls() throws IOException {
        Path directory = Files.createTempDirectory("meridian-pg-tls-");
        try {
            TestCertificates.PemFiles files = TestCertificates.loopbackServerPem(directory);
            Path hbaFile = Files.writeString(directory.resolve("pg_hba.conf"), TLS_HBA, StandardCharsets.US_ASCII);
            return new Tls(directory, files, hbaFile);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    /**
     * The builder's settings over the TLS ones, so a test can still override one of those on purpose. Paths are
     * single-quoted because zonky hands every {@code -c key=value} to {@code pg_ctl -o}, which runs the postmaster
     * through {@code /bin/sh}: a temporary directory with a space would otherwise split the option.
     */
    private static Map<String, String> serverConfig(Map<String, String> requested, Tls tls) {
        Map<String, String> config = new LinkedHashMap<>();
        if (tls != null) {
            config.put("ssl", "on");
            config.put("ssl_cert_file", shellQuoted(tls.files().serverCertificate()));
            config.put("ssl_key_file", shellQuoted(tls.files().serverKey()));
            config.put("ssl_min_protocol_version", TLS_VERSION);
            config.put("hba_file", shellQuoted(tls.hbaFile()));
        }
        config.putAll(requested);
        return Map.copyOf(config);
    }

    private static String shellQuoted(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "'\\''") + "'";
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
        String transport = tls == null ? "" : " (" + TLS_VERSION + " only)";
        LOG.log(System.Logger.Level.INFO,
                () -> "PostgreSQL started on port " + server.getPort() + transport + " in " + elapsed + " ms");
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

    /**
     * The JDBC URL of {@code database}. With {@link Builder#tls(boolean)} it carries {@code sslmode=verify-full} and
     * {@code sslrootcert} (this run's CA), so it already has a query string: add parameters with {@code &}.
     */
    public String jdbcUrl(String database) {
        if (tls == null) {
            return baseUrl(database);
        }
        // pgjdbc URL-decodes parameter values; '/' is left readable, since decoding keeps it as it is.
        String rootCertificate = URLEncoder.encode(tlsRootCertificate().toString(), StandardCharsets.UTF_8)
                .replace("%2F", "/");
        return baseUrl(database) + "?sslmode=verify-full&sslrootcert=" + rootCertificate;
    }

    /**
     * The JDBC URL of {@code database} with {@code sslmode=disable}: a plaintext client, which a
     * {@link Builder#tls(boolean)} server refuses; for tests that prove the refusal.
     */
    public String jdbcUrlWithoutTls(String database) {
        return baseUrl(database) + "?sslmode=disable";
    }

    private String baseUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
    }

    public DataSource dataSource() {
        return dataSource(DEFAULT_DATABASE);
    }

    /** Connections to {@code database}; verified TLS against this run's CA when the server has TLS. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host()});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(username());
        dataSource.setPassword(password());
        if (tls != null) {
            dataSource.setSslMode("verify-full");
            dataSource.setSslRootCert(tlsRootCertificate().toString());
        }
        return dataSource;
    }

    /** Whether the server was started with {@link Builder#tls(boolean)}. */
    public boolean hasTls() {
        return tls != null;
    }

    /**
     * The PEM file of this run's throwaway CA, the one certificate a client needs to trust to verify the server
     * ({@code sslrootcert} in pgjdbc and libpq). Deleted on close.
     *
     * @throws IllegalStateException if the server was started without TLS
     */
    public Path tlsRootCertificate() {
        if (tls == null) {
            throw new IllegalStateException("PostgreSQL was started without TLS (Builder.tls)");
        }
        return tls.files().caCertificate();
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
        try {
            stopServer();
            if (ownsDataDirectory) {
                deleteRecursively(dataDirectory);
            }
        } finally {
            // The server has read its key at start, so this directory may go even if stopping failed.
            if (tls != null) {
                deleteRecursively(tls.directory());
            }
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

    private static void deleteQuietly(Path root) {
        try {
            deleteRecursively(root);
        } catch (UncheckedIOException suppressed) {
            // The start failure is the error worth reporting.
        }
    }

    @Override
    public String toString() {
        String transport = tls == null ? "" : ", " + TLS_VERSION;
        return "PostgresServer[" + jdbcUrl() + ", data " + dataDirectory + transport + "]";
    }

    public static final class Builder {
        private final Map<String, String> serverConfig = new LinkedHashMap<>();
        private Path dataDirectory;
        private int port;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private boolean tls;

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

        /**
         * Whether the server requires TLS: {@value PostgresServer#TLS_VERSION} only ({@code ssl_min_protocol_version}),
         * a throwaway CA and a certificate for {@code localhost}/{@code 127.0.0.1} made at start, and a pg_hba.conf
         * that rejects every unencrypted TCP connection. The certificates and that pg_hba.conf live in a temporary
         * directory that close deletes; a {@link #dataDirectory} is not modified. Off by default. Settings given with
         * {@link #serverConfig} win over the TLS ones ({@code ssl}, {@code ssl_cert_file}, {@code ssl_key_file},
         * {@code ssl_min_protocol_version}, {@code hba_file}).
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
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
