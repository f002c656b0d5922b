package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.bootstrap.StoreWiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataSourcesTest {

    @Test
    void h2FileUrlIsAbsoluteSoTheWorkingDirectoryCannotMoveTheDatabase() {
        String url = DataSources.h2FileUrl(Path.of("data", "..", "data", "tessera"));

        assertThat(url).startsWith("jdbc:h2:file:/").contains("/data/tessera;").doesNotContain("..");
    }

    @Test
    void anH2FileDatabaseWritesEachCommitBeforeTheCommitReturns(@TempDir Path dir) throws Exception {
        try (Database database = Database.h2File(dir.resolve("tessera"));
             Connection connection = database.dataSource().getConnection();
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("0");
        }
    }

    @Test
    void inMemoryNameCannotSmuggleSettingsIntoTheUrl() {
        assertThatThrownBy(() -> DataSources.h2MemoryUrl("x;INIT=RUNSCRIPT FROM 'http://evil'"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void postgresPoolRefusesANonPostgresUrl() {
        assertThatThrownBy(() -> DataSources.postgres("jdbc:h2:mem:x", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dialectFollowsTheUrlScheme() {
        assertThat(SqlDialect.forUrl("jdbc:h2:mem:x")).isSameAs(SqlDialect.H2);
        assertThat(SqlDialect.forUrl("jdbc:postgresql://db:5432/tessera")).isSameAs(SqlDialect.POSTGRES);
        assertThatThrownBy(() -> SqlDialect.forUrl("jdbc:mysql://db/tessera")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownStorageTypeIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> StoreWiring.openDatabase("mongo", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.type");
        assertThatThrownBy(() -> StoreWiring.openDatabase("postgres", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storage.url");
    }
}
