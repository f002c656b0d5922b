package dev.tessera.server.infrastructure.store.jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeSet;

/** Brings the schema up to date with the portable Flyway scripts in {@code db/migration/}. */
public final class Migrations {
    public static final String LOCATION = "classpath:db/migration";
    /**
     * The versions of the scripts in {@code db/migration/}, oldest first (there is no V9). Written down so a start
     * can tell a current schema without Flyway scanning, reading and checksumming every script (a test keeps this
     * list equal to the directory).
     */
    public static final List<Integer> VERSIONS = List.of(1, 2, 3, 4, 5, 6, 7, 8, 10, 11);
    private static final String HISTORY_TABLE = "flyway_schema_history";

    /** What {@link #ensureCurrent} found. */
    public enum Outcome {
        /** The schema history already held every version of this build: nothing ran. */
        CURRENT,
        /** Flyway ran (and applied whatever was pending). */
        MIGRATED
    }

    private Migrations() {
    }

    /**
     * Brings the schema behind {@code dataSource} up to date at start-up. When the history table shows exactly this
     * build's versions, all applied successfully, one query is all it costs; otherwise Flyway runs as before
     * ({@code flyway} runs it). A schema holding a version newer than this build's is refused.
     *
     * @throws IllegalStateException when a newer Tessera has migrated the schema past this build
     */
    public static Outcome ensureCurrent(DataSource dataSource, Runnable flyway) {
        TreeSet<Integer> applied = appliedVersions(dataSource);
        if (applied != null) {
            int newest = VERSIONS.get(VERSIONS.size() - 1);
            int highest = applied.isEmpty() ? 0 : applied.last();
            if (highest > newest) {
                throw new IllegalStateException("the store's schema is at version " + highest + ", newer than this"
                        + " Tessera's (" + newest + "): a newer release has migrated it, and Tessera never downgrades"
                        + " a schema; run that release or a later one");
            }
            if (applied.equals(new TreeSet<>(VERSIONS))) {
                return Outcome.CURRENT;
            }
        }
        flyway.run();
        return Outcome.MIGRATED;
    }

    /**
     * The versions the history table records as applied; null when Flyway must look itself: no history table yet
     * (a new store), a failed migration on record, or a version that is not a plain number.
     */
    private static TreeSet<Integer> appliedVersions(DataSource dataSource) {
        TreeSet<Integer> versions = new TreeSet<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            if (!historyTableExists(connection)) {
                return null;
            }
            try (ResultSet rows = statement.executeQuery("SELECT \"version\", \"success\" FROM \"" + HISTORY_TABLE
                    + "\" WHERE \"version\" IS NOT NULL")) {
                while (rows.next()) {
                    if (!rows.getBoolean(2)) {
                        return null;
                    }
                    versions.add(Integer.parseInt(rows.getString(1)));
                }
            }
            return versions;
        } catch (NumberFormatException e) {
            return null;
        } catch (SQLException e) {
            throw StorageException.of("cannot read the schema history", e);
        }
    }

    // Through the metadata, not by catching a failed SELECT: PostgreSQL would log that failure as an error.
    private static boolean historyTableExists(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), HISTORY_TABLE,
                new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    /** Applies pending migrations; returns how many ran. */
    public static int migrate(DataSource dataSource) {
        MigrateResult result = flyway(dataSource, null).migrate();
        return result.migrationsExecuted;
    }

    /** Applies pending migrations over a connection of its own to {@code url}; returns how many ran. */
    public static int migrate(String url, String username, String password) {
        return configure(null).dataSource(url, username, password).load().migrate().migrationsExecuted;
    }

    /** Applies migrations up to and including {@code version} only (for migration tests). */
    public static int migrateTo(DataSource dataSource, String version) {
        return flyway(dataSource, version).migrate().migrationsExecuted;
    }

    private static Flyway flyway(DataSource dataSource, String target) {
        return configure(target).dataSource(dataSource).load();
    }

    private static FluentConfiguration configure(String target) {
        FluentConfiguration config = Flyway.configure()
                .locations(LOCATION)
                .cleanDisabled(true) // never let a misconfigured tool wipe production data
                .failOnMissingLocations(true);
        if (target != null) {
            config.target(target);
        }
        return config;
    }
}
