package dev.tessera.server.infrastructure.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A migrated, pooled database and the dialect to speak to it; closing it closes the pool. */
public record Database(HikariDataSource dataSource, SqlDialect dialect) implements AutoCloseable {
    public static Database h2File(Path path) {
        return h2File(path, PoolSettings.DEFAULTS);
    }

    public static Database h2File(Path path, PoolSettings settings) {
        return migrated(DataSources.h2File(path, settings), SqlDialect.H2);
    }

    public static Database h2InMemory(String name) {
        return migrated(DataSources.h2InMemory(name), SqlDialect.H2);
    }

    public static Database postgres(String url, String username, String password) {
        return postgres(url, username, password, PoolSettings.DEFAULTS);
    }

    public static Database postgres(String url, String username, String password, PoolSettings settings) {
        return migrated(DataSources.postgres(url, username, password, settings), SqlDialect.POSTGRES);
    }

    private static Database migrated(HikariDataSource dataSource, SqlDialect dialect) {
        try {
            // Usually the schema is current and one query through the pool says so; Flyway runs only when not.
            Migrations.ensureCurrent(dataSource, () -> {
                if (dialect == SqlDialect.POSTGRES) {
                    // Not through the pool: its socket timeout is sized for requests, and a migration on a big
                    // table may rightly take longer.
                    Migrations.migrate(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
                } else {
                    Migrations.migrate(dataSource);
                }
            });
            return new Database(dataSource, dialect);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** Shuts an H2 database down first: an in-memory one would otherwise outlive its pool (DB_CLOSE_DELAY=-1). */
    @Override
    public void close() {
        if (dialect == SqlDialect.H2 && !dataSource.isClosed()) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                // already gone; closing the pool below is all that is left to do
            }
        }
        dataSource.close();
    }
}
