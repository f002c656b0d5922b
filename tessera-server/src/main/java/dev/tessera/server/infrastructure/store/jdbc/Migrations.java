package dev.tessera.server.infrastructure.store.jdbc;

import org.flywaydb.core.Flyway;
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

    /** Applies migrations up to and including {@code version} only (for migration tests). */
    public static int migrateTo(DataSource dataSource, String version) {
        return flyway(dataSource, version).migrate().migrationsExecuted;
    }

    private static Flyway flyway(DataSource dataSource, String target) {
        var config = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .cleanDisabled(true) // never let a misconfigured tool wipe production data
                .failOnMissingLocations(true);
        if (target != null) {
            config.target(target);
        }
        return config.load();
    }
}
