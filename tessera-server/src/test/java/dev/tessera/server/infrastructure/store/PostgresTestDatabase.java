package dev.tessera.server.infrastructure.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One PostgreSQL server per test JVM: zonky's embedded PostgreSQL on 127.0.0.1 and a free port,
 * started on first use and stopped by its shutdown hook; or, when {@code TESSERA_TEST_POSTGRES_URL} is
 * set (with optional {@code TESSERA_TEST_POSTGRES_USER} / {@code _PASSWORD}), that server instead.
 * A server that cannot start fails every test that asks for it, with the reason: PostgreSQL is never
 * skipped silently.
 */
public final class PostgresTestDatabase {
    static final String URL_VARIABLE = "TESSERA_TEST_POSTGRES_URL";

    private static Server server;
    private static RuntimeException startFailure;

    private PostgresTestDatabase() {
    }

    public record Server(String url, String username, String password) {
        /** A JDBC URL whose connections use {@code schema}, created here if missing. */
        public String urlForSchema(String schema) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create schema " + schema + ": " + e.getMessage(), e);
            }
            return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        public Connection connect() throws SQLException {
            Properties properties = new Properties();
            if (username != null) {
                properties.setProperty("user", username);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            return DriverManager.getConnection(url, properties);
        }
    }

    public static synchronized Server server() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (server == null) {
            try {
                server = start();
            } catch (Exception | LinkageError e) {
                String source = System.getenv(URL_VARIABLE) == null ? "embedded (zonky)" : "from " + URL_VARIABLE;
                // The URL itself is not printed: it may carry a password.
                startFailure = new IllegalStateException("PostgreSQL " + source + " for the storage contract tests "
                        + "could not start; fix the cause or point " + URL_VARIABLE + " at a reachable server. Cause: " + e, e);
                throw startFailure;
            }
        }
        return server;
    }

    private static Server start() throws Exception {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            Server configured = new Server(external, System.getenv("TESSERA_TEST_POSTGRES_USER"),
                    System.getenv("TESSERA_TEST_POSTGRES_PASSWORD"));
            configured.connect().close(); // fail now, with the driver's reason, if it is unreachable
            return configured;
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off") // a throwaway cluster: durability only costs time here
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        return new Server("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", null);
    }
}
