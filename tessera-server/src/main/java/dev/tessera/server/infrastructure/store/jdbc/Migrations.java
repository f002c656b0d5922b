package dev.tessera.server.infrastructure.store.jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/** Brings the schema up to date with the portable Flyway scripts in {@code db/migration/}. */
public final class Migrations {
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {
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
