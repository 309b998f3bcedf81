package dev.meridian.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.testkit.junit.PostgresExtension;
import dev.meridian.testkit.security.TestCertificates;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ssl.WrappedFactory;
import org.postgresql.util.PSQLException;

/**
 * {@code PostgresServer.builder().tls(true)}: the kit's own URL and data source reach the server over TLS 1.3 and
 * verify it against the run's CA; a plaintext client, a client that trusts another CA and one that speaks at most
 * TLS 1.2 are refused at the door, and a restart keeps it that way.
 */
// Bounds a hung server to one test instead of the whole build (the build machine is shared).
@Timeout(120)
class PostgresTlsIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.of(builder -> builder.tls(true));

    private static final Session TLS_13 = new Session(true, PostgresServer.TLS_VERSION);

    /** One row of {@code pg_stat_ssl}: how the session asking is encrypted. */
    private record Session(boolean ssl, String version) {
    }

    @Test
    void theKitsUrlAndDataSourceConnectOverVerifiedTls13() throws SQLException {
        PostgresServer server = POSTGRES.server();
        assertThat(server.hasTls()).isTrue();
        assertThat(server.jdbcUrl()).contains("sslmode=verify-full");

        try (Connection viaUrl = DriverManager.getConnection(server.jdbcUrl(), credentials())) {
            assertThat(session(viaUrl)).isEqualTo(TLS_13);
        }
        try (Connection viaDataSource = server.dataSource().getConnection()) {
            assertThat(session(viaDataSource)).isEqualTo(TLS_13);
        }
    }

    @Test
    void refusesAPlaintextClient() {
        String plaintext = POSTGRES.server().jdbcUrlWithoutTls(PostgresServer.DEFAULT_DATABASE);

        assertThatThrownBy(() -> DriverManager.getConnection(plaintext, credentials()).close())
                .isInstanceOfSatisfying(PSQLException.class,
                        e -> assertThat(e.getSQLState()).as("invalid_authorization_specification").isEqualTo("28000"))
                .hasMessageContaining("pg_hba.conf rejects connection")
                .hasMessageContaining("no encryption");
    }

    @Test
    void aClientThatTrustsAnotherCaRefusesTheServer(@TempDir Path elsewhere) {
        Properties client = credentials();
        client.setProperty("sslmode", "verify-full");
        client.setProperty("sslrootcert", TestCertificates.loopbackServerPem(elsewhere).caCertificate().toString());

        assertThatThrownBy(() -> DriverManager.getConnection(urlWithoutParameters(), client).close())
                .isInstanceOf(PSQLException.class)
                .hasMessageContaining("PKIX path building failed")
                .hasCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void refusesAClientThatSpeaksAtMostTls12() {
        Properties client = credentials();
        client.setProperty("sslmode", "verify-full");
        client.setProperty("sslrootcert", POSTGRES.server().tlsRootCertificate().toString());
        client.setProperty("sslfactory", Tls12OnlyFactory.class.getName());

        // The server's alert, so the version was the reason: the client trusts the CA and checks the name as above.
        assertThatThrownBy(() -> DriverManager.getConnection(urlWithoutParameters(), client).close())
                .isInstanceOf(PSQLException.class)
                .hasMessageContaining("protocol_version")
                .hasCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void keepsTlsAcrossARestart() throws SQLException {
        PostgresServer server = POSTGRES.server();
        String url = server.jdbcUrl();

        server.restart();

        assertThat(server.jdbcUrl()).isEqualTo(url);
        try (Connection connection = server.dataSource().getConnection()) {
            assertThat(session(connection)).isEqualTo(TLS_13);
        }
        assertThatThrownBy(() -> DriverManager.getConnection(
                server.jdbcUrlWithoutTls(PostgresServer.DEFAULT_DATABASE), credentials()).close())
                .isInstanceOf(PSQLException.class)
                .hasMessageContaining("no encryption");
    }

    /**
     * pgjdbc's {@code sslfactory} for a client stuck on TLS 1.2. pgjdbc has no setting for the highest version it
     * offers, so this uses the JDK's "TLSv1.2" context, whose client side enables nothing newer. It trusts the CA in
     * {@code sslrootcert}, as the kit's own clients do, so that only the version stands between it and the server.
     * Public with a {@link Properties} constructor: pgjdbc instantiates it by name.
     */
    public static final class Tls12OnlyFactory extends WrappedFactory {

        public Tls12OnlyFactory(Properties info) throws GeneralSecurityException, IOException {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream ca = Files.newInputStream(Path.of(info.getProperty("sslrootcert")))) {
                trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(null, trust.getTrustManagers(), null);
            factory = context.getSocketFactory();
        }
    }

    /** The server's address alone, for clients whose TLS settings the test gives as properties. */
    private static String urlWithoutParameters() {
        PostgresServer server = POSTGRES.server();
        return "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + PostgresServer.DEFAULT_DATABASE;
    }

    private static Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", POSTGRES.server().username());
        properties.setProperty("password", POSTGRES.server().password());
        return properties;
    }

    private static Session session(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(rs.next()).as("pg_stat_ssl row of this connection").isTrue();
            return new Session(rs.getBoolean("ssl"), rs.getString("version"));
        }
    }
}
