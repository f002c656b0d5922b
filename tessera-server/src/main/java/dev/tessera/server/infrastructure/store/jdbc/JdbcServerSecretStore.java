package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.ServerSecretStore;

import java.time.Instant;
import java.util.Base64;

/** Shared server secrets: the primary key lets exactly one instance's candidate in; everyone reads that row. */
public final class JdbcServerSecretStore implements ServerSecretStore {
    private final SqlExecutor sql;

    public JdbcServerSecretStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public byte[] getOrCreate(String name, byte[] candidate, Instant now) {
        sql.insertIgnoringDuplicate("INSERT INTO server_secrets (name, secret, created_at) VALUES (?,?,?)", name,
                Base64.getUrlEncoder().withoutPadding().encodeToString(candidate), now);
        String stored = sql.queryOne("SELECT secret FROM server_secrets WHERE name = ?", row -> row.string("secret"), name)
                .orElseThrow(() -> new IllegalStateException("server secret " + name + " vanished after it was stored"));
        return Base64.getUrlDecoder().decode(stored);
    }
}
