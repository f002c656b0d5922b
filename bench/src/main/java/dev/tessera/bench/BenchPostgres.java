package dev.tessera.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A throwaway PostgreSQL for load.sh's refresh mode (the zonky binaries the store tests use), listening on
 * 127.0.0.1 only. Prints {@code POSTGRES_URL=jdbc:postgresql://127.0.0.1:PORT/postgres} once it accepts
 * connections, and stops the server and deletes its data when standard input closes or the process is
 * terminated. Durability is PostgreSQL's default, as in production: zonky starts its servers with {@code -F}
 * (fsync off) and {@code synchronous_commit=off}, which suit a test suite but let a refresh's rotation commit
 * without waiting for the WAL to reach the disk, so both are turned back on here (a later {@code -c} wins over
 * {@code -F}). A refresh then costs what it would in production on this disk.
 */
public final class BenchPostgres {
    private BenchPostgres() {
    }

    public static void main(String[] args) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("BenchPostgres: stopping PostgreSQL failed: " + e);
            }
        }));
        try {
            requireDurable(postgres);
        } catch (IllegalStateException e) {
            System.err.println("BenchPostgres: " + e.getMessage());
            System.exit(1); // the shutdown hook stops PostgreSQL
        }
        System.out.println("POSTGRES_URL=jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the script to close our standard input
        }
        System.exit(0);
    }

    /** Refuses to serve a bench whose commits would not wait for the disk (a zonky default changing under us). */
    private static void requireDurable(EmbeddedPostgres postgres) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String setting : new String[] {"fsync", "synchronous_commit"}) {
                try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
                    result.next();
                    if (!"on".equals(result.getString(1))) {
                        throw new IllegalStateException("the bench PostgreSQL runs with " + setting + " = "
                                + result.getString(1) + ", not on");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the bench PostgreSQL's settings: " + e.getMessage(), e);
        }
    }
}
