package dev.meridian.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.junit.PostgresExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

// Bounds a hung server to one test instead of the whole build (the build machine is shared).
@Timeout(120)
class PostgresServerIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.create();

    @Test
    void runsWithLogicalDecodingAndSynchronousCommit() throws SQLException {
        try (Connection connection = POSTGRES.dataSource().getConnection()) {
            assertThat(setting(connection, "wal_level")).isEqualTo("logical");
            assertThat(setting(connection, "synchronous_commit")).isEqualTo("on");
            assertThat(Integer.parseInt(setting(connection, "max_replication_slots"))).isGreaterThanOrEqualTo(4);
            assertThat(setting(connection, "server_version")).startsWith("17.");
        }
    }

    @Test
    void pgoutputSlotStreamsAnInsertAndSurvivesARestart() throws SQLException {
        PostgresServer server = POSTGRES.server();
        String urlBefore = server.jdbcUrl();
        long relationId;
        try (Connection connection = server.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE regions (id text PRIMARY KEY, zone text NOT NULL)");
            sql.execute("CREATE PUBLICATION regions_pub FOR TABLE regions");
            sql.execute("SELECT pg_create_logical_replication_slot('regions_slot', 'pgoutput')");
            sql.execute("INSERT INTO regions VALUES ('eu-west', 'EU')");
            try (ResultSet rs = sql.executeQuery("SELECT 'regions'::regclass::oid")) {
                rs.next();
                relationId = rs.getLong(1);
            }
            assertThat(insertedValues(connection, relationId)).containsExactly(List.of("eu-west", "EU"));
        }

        // The change was peeked, not consumed: after a restart the slot still holds it, on the same address.
        server.restart();
        assertThat(server.jdbcUrl()).isEqualTo(urlBefore);
        try (Connection connection = server.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            assertThat(insertedValues(connection, relationId)).containsExactly(List.of("eu-west", "EU"));
            try (ResultSet rs = sql.executeQuery("SELECT zone FROM regions WHERE id = 'eu-west'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("EU");
            }
            sql.execute("SELECT pg_drop_replication_slot('regions_slot')");
        }
    }

    @Test
    void createsAdditionalDatabases() throws SQLException {
        String url = POSTGRES.server().createDatabase("audit_it");
        assertThat(url).endsWith("/audit_it");
        try (Connection connection = POSTGRES.server().dataSource("audit_it").getConnection();
                Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("audit_it");
        }
    }

    /**
     * Decodes the pgoutput (protocol 1) messages waiting in the slot and returns, for each Insert ('I')
     * on the relation, its column values in text form.
     */
    private static List<List<String>> insertedValues(Connection connection, long relationId) throws SQLException {
        List<List<String>> inserts = new ArrayList<>();
        try (PreparedStatement peek = connection.prepareStatement(
                "SELECT data FROM pg_logical_slot_peek_binary_changes('regions_slot', NULL, NULL, "
                        + "'proto_version', '1', 'publication_names', 'regions_pub')");
                ResultSet rs = peek.executeQuery()) {
            while (rs.next()) {
                ByteBuffer message = ByteBuffer.wrap(rs.getBytes(1));
                if (message.get() != 'I' || Integer.toUnsignedLong(message.getInt()) != relationId) {
                    continue;
                }
                assertThat((char) message.get()).as("new tuple marker").isEqualTo('N');
                List<String> values = new ArrayList<>();
                short columns = message.getShort();
                for (int i = 0; i < columns; i++) {
                    assertThat((char) message.get()).as("text-format column").isEqualTo('t');
                    byte[] value = new byte[message.getInt()];
                    message.get(value);
                    values.add(new String(value, StandardCharsets.UTF_8));
                }
                inserts.add(values);
            }
        }
        return inserts;
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet rs = sql.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
