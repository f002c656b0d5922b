package dev.tessera.server.infrastructure.store;

import dev.tessera.server.application.port.Stores;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.authz.Consent;
import dev.tessera.server.domain.token.TokenHash;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.store.jdbc.DataSources;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.infrastructure.store.jdbc.Migrations;
import dev.tessera.server.infrastructure.store.jdbc.SqlDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hydra's migratest idea: rows written by the first schema version are still read correctly after
 * every later migration, on both databases; and migrating twice changes nothing.
 */
class MigrationTest {
    // Written with plain SQL as V1 defined the tables, not through today's adapters.
    private static final String[] V1_FIXTURE = {
            "INSERT INTO users (id, username, password_hash, roles, claims, verified_claims, enabled) VALUES "
                    + "('u-1', 'alice', NULL, '[\"admin\"]', '{\"email\":\"alice@example.com\"}', '{}', TRUE)",
            "INSERT INTO user_links (issuer, subject, user_id, link_order) VALUES ('https://idp.example', 's-1', 'u-1', 0)",
            "INSERT INTO clients (id, name, public_client, redirect_uris, post_logout_redirect_uris, grant_types, "
                    + "audience, claims, introspect, id_jag, enabled) VALUES ('c-1', 'Old App', FALSE, "
                    + "'[\"https://old.example/cb\"]', '[]', '[\"authorization_code\"]', '[]', '[]', FALSE, '[]', TRUE)",
            "INSERT INTO consents (user_id, client_id, scopes, granted_at) VALUES ('u-1', 'c-1', 'openid email', "
                    + "TIMESTAMP '2026-01-01 00:00:00')",
            "INSERT INTO refresh_tokens (hash, grant_id, client_id, user_id, scopes, resources, issued_at, expires_at, "
                    + "family_expires_at) VALUES ('rt-hash-1', 'g-1', 'c-1', 'u-1', 'openid offline_access', '[]', "
                    + "TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2099-01-01 00:00:00', TIMESTAMP '2099-01-01 00:00:00')",
    };

    @Test
    void v1RowsReadAfterTheLatestMigrationOnH2() throws SQLException {
        try (Database database = new Database(DataSources.h2InMemory("migration-" + UUID.randomUUID()), SqlDialect.H2)) {
            assertV1RowsSurvive(database.dataSource(), SqlDialect.H2);
        }
    }

    @Test
    void v1RowsReadAfterTheLatestMigrationOnPostgres() throws SQLException {
        PostgresTestDatabase.Server server = PostgresTestDatabase.server();
        String schema = "tessera_migration_" + UUID.randomUUID().toString().replace("-", "");
        try (var dataSource = DataSources.postgres(server.urlForSchema(schema), server.username(), server.password())) {
            assertV1RowsSurvive(dataSource, SqlDialect.POSTGRES);
        } finally {
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void fileDatabaseKeepsItsDataAcrossRestarts(@TempDir Path dir) {
        Path path = dir.resolve("data").resolve("tessera");
        User bob = new User("u-bob", "bob", null, List.of(), Map.of(), Map.of(), List.of(), true);
        try (Database first = StoreWiring.openDatabase("h2", path, null, null, null)) {
            StoreWiring.jdbc(first).users().upsert(bob);
        }

        try (Database reopened = StoreWiring.openDatabase("h2", path, null, null, null)) {
            assertThat(StoreWiring.jdbc(reopened).users().findById("u-bob")).contains(bob);
            assertThat(Migrations.migrate(reopened.dataSource())).isZero();
        }
    }

    private static void assertV1RowsSurvive(DataSource dataSource, SqlDialect dialect) throws SQLException {
        assertThat(Migrations.migrateTo(dataSource, "1")).isEqualTo(1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String insert : V1_FIXTURE) {
                s.execute(insert);
            }
        }

        Migrations.migrate(dataSource);
        assertThat(Migrations.migrate(dataSource)).isZero();

        Stores stores = StoreWiring.jdbc(dataSource, dialect);
        User alice = stores.users().findByLink("https://idp.example", "s-1").orElseThrow();
        assertThat(alice.username()).isEqualTo("alice");
        assertThat(alice.roles()).containsExactly("admin");
        assertThat(alice.claims()).containsEntry("email", "alice@example.com");
        // V2 added require_pkce: clients from before keep requiring PKCE.
        assertThat(stores.clients().find("c-1").orElseThrow().requirePkce()).isTrue();
        // V5: a consent from before covers its scopes and no claim asked for one by one; an old grant has no
        // claims request, so its refreshes release what its scopes allow and nothing more.
        Consent consent = stores.consents().find("u-1", "c-1").orElseThrow();
        assertThat(consent.scopes().values()).containsExactlyInAnyOrder("openid", "email");
        assertThat(consent.claims()).isEmpty();
        assertThat(stores.refreshTokens().find(new TokenHash("rt-hash-1")).orElseThrow().token().claimsRequest()).isNull();
    }
}
