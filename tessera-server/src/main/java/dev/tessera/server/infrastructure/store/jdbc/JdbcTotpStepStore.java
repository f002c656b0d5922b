package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.TotpStepStore;

import java.time.Instant;

/** Spent TOTP steps: the primary key (user_id, step) lets exactly one insert succeed, however many race. */
public final class JdbcTotpStepStore implements TotpStepStore {
    private final SqlExecutor sql;

    public JdbcTotpStepStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public boolean markUsed(String userId, long step, Instant expiresAt) {
        return sql.insertIgnoringDuplicate("INSERT INTO totp_used_steps (user_id, step, expires_at) VALUES (?,?,?)",
                userId, step, expiresAt);
    }

    @Override
    public int purgeExpired(Instant now) {
        return sql.update("DELETE FROM totp_used_steps WHERE expires_at <= ?", now);
    }
}
