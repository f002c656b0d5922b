package dev.tessera.server.infrastructure.store;

import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.infrastructure.store.jdbc.DataSources;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.infrastructure.store.jdbc.Migrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A start with a current schema runs no Flyway (one query on the history table); a schema behind this build is
 * migrated as before; one ahead of it (a newer release migrated it) is refused with a message saying so. On H2 and
 * on PostgreSQL.
 */
class SchemaCheckTest {
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__.+\\.sql");

    @Test
    void theVersionListIsExactlyTheScriptsInTheMigrationDirectory() throws IOException, URISyntaxException {
        Path directory = Path.of(Migrations.class.getClassLoader().getResource("db/migration").toURI());
        List<Integer> versions;
        try (Stream<Path> files = Files.list(directory)) {
            versions = files.map(file -> SCRIPT.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .sorted()
                    .toList();
        }
        assertThat(Migrations.VERSIONS).isEqualTo(versions);
    }

    @Test
    void onH2() {
        eachCase(test -> {
            try (var dataSource = DataSources.h2InMemory("schema-check-" + UUID.randomUUID())) {
                test.accept(dataSource);
            }
        });
    }

    @Test
    void onPostgres() {
        PostgresTestDatabase.Server server = PostgresTestDatabase.server();
        eachCase(test -> {
            String schema = "tessera_schema_check_" + UUID.randomUUID().toString().replace("-", "");
            try (var dataSource = DataSources.postgres(server.urlForSchema(schema), server.username(), server.password())) {
                test.accept(dataSource);
            } finally {
                try (Connection c = server.connect(); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    @Test
    void aStartRefusesAStoreMigratedByANewerRelease(@TempDir Path dir) throws SQLException {
        Path path = dir.resolve("data").resolve("tessera");
        try (Database database = StoreWiring.openDatabase("h2", path, null, null, null)) {
            recordVersion(database.dataSource(), 99, true);
        }
        int newest = Migrations.VERSIONS.get(Migrations.VERSIONS.size() - 1);
        assertThatThrownBy(() -> StoreWiring.openDatabase("h2", path, null, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the store's schema is at version 99, newer than this Tessera's (" + newest + "): a newer"
                        + " release has migrated it, and Tessera never downgrades a schema; run that release or a"
                        + " later one");
        // The refused start closed its pool: the store opens again once the newer version is gone.
        try (var dataSource = DataSources.h2File(path);
             Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '99'");
        }
        try (Database reopened = StoreWiring.openDatabase("h2", path, null, null, null)) {
            assertThat(reopened.dataSource().isRunning()).isTrue();
        }
    }

    private interface Case {
        void run(DataSource dataSource) throws SQLException;
    }

    private static void eachCase(Consumer<Consumer<DataSource>> onFreshStore) {
        for (Case c : List.<Case>of(SchemaCheckTest::aNewStoreIsMigratedThenFoundCurrent,
                SchemaCheckTest::aStoreBehindThisBuildIsMigrated, SchemaCheckTest::aStoreAheadOfThisBuildIsRefused,
                SchemaCheckTest::aFailedMigrationOnRecordIsLeftToFlyway)) {
            onFreshStore.accept(dataSource -> {
                try {
                    c.run(dataSource);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static void aNewStoreIsMigratedThenFoundCurrent(DataSource dataSource) {
        AtomicInteger flywayRuns = new AtomicInteger();
        Runnable flyway = () -> {
            flywayRuns.incrementAndGet();
            Migrations.migrate(dataSource);
        };

        assertThat(Migrations.ensureCurrent(dataSource, flyway)).isEqualTo(Migrations.Outcome.MIGRATED);
        assertThat(flywayRuns).hasValue(1);

        assertThat(Migrations.ensureCurrent(dataSource, flyway)).isEqualTo(Migrations.Outcome.CURRENT);
        assertThat(flywayRuns).hasValue(1); // the second start ran no Flyway
    }

    private static void aStoreBehindThisBuildIsMigrated(DataSource dataSource) {
        Migrations.migrateTo(dataSource, "6");
        AtomicInteger applied = new AtomicInteger();

        assertThat(Migrations.ensureCurrent(dataSource, () -> applied.set(Migrations.migrate(dataSource))))
                .isEqualTo(Migrations.Outcome.MIGRATED);

        assertThat(applied).hasValue((int) Migrations.VERSIONS.stream().filter(v -> v > 6).count());
        assertThat(Migrations.ensureCurrent(dataSource, () -> { throw new AssertionError("Flyway ran again"); }))
                .isEqualTo(Migrations.Outcome.CURRENT);
    }

    private static void aStoreAheadOfThisBuildIsRefused(DataSource dataSource) throws SQLException {
        Migrations.migrate(dataSource);
        int newest = Migrations.VERSIONS.get(Migrations.VERSIONS.size() - 1);
        recordVersion(dataSource, newest + 1, true);

        assertThatThrownBy(() -> Migrations.ensureCurrent(dataSource, () -> { throw new AssertionError("Flyway ran"); }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the store's schema is at version " + (newest + 1) + ", newer than this"
                        + " Tessera's (" + newest + ")");
    }

    private static void aFailedMigrationOnRecordIsLeftToFlyway(DataSource dataSource) throws SQLException {
        int newest = Migrations.VERSIONS.get(Migrations.VERSIONS.size() - 1);
        int previous = Migrations.VERSIONS.get(Migrations.VERSIONS.size() - 2);
        Migrations.migrateTo(dataSource, String.valueOf(previous));
        recordVersion(dataSource, newest, false);
        AtomicInteger flywayRuns = new AtomicInteger();

        assertThat(Migrations.ensureCurrent(dataSource, flywayRuns::incrementAndGet))
                .isEqualTo(Migrations.Outcome.MIGRATED);
        assertThat(flywayRuns).hasValue(1); // Flyway, not this check, reports (or repairs) a failed migration
    }

    // A row as Flyway writes it for an applied versioned script.
    private static void recordVersion(DataSource dataSource, int version, boolean success) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\","
                    + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES ("
                    + (100 + version) + ", '" + version + "', 'test', 'SQL', 'V" + version + "__test.sql', 0, 'test',"
                    + " 0, " + success + ")");
        }
    }
}
