package dev.meridian.audit.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The store writer's PostgreSQL connections, named {@value StoreWriter#APPLICATION_NAME} in {@code pg_stat_activity}
 * so that the writer's sessions can be told from the API's (and terminated, as the crash tests do).
 */
final class WriterConnections {

    private final DataSource dataSource;

    WriterConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Connection open() throws SQLException {
        Connection connection = dataSource.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = '" + StoreWriter.APPLICATION_NAME + "'");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is gone; PostgreSQL rolled the transaction back itself.
        }
    }
}
