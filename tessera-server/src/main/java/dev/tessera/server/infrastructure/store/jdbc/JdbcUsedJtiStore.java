package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.UsedJtiStore;

import java.time.Instant;

/** Single-use JWT ids: the primary key (issuer, jti) lets exactly one insert succeed (RFC 7523 §3 item 7). */
public final class JdbcUsedJtiStore implements UsedJtiStore {
    private final SqlExecutor sql;

    public JdbcUsedJtiStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public boolean markUsed(String issuer, String jti, Instant expiresAt) {
        return sql.insertIgnoringDuplicate("INSERT INTO used_jtis (issuer, jti, expires_at) VALUES (?,?,?)",
                issuer, jti, expiresAt);
    }

    @Override
    public int purgeExpired(Instant now) {
        return sql.update("DELETE FROM used_jtis WHERE expires_at <= ?", now);
    }
}
