package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.SessionStore;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.token.TokenHash;

import java.time.Instant;
import java.util.Optional;

/** Browser SSO sessions by hash of the cookie secret; the public sid is indexed for logout. */
public final class JdbcSessionStore implements SessionStore {
    private static final String COLUMNS = "SELECT hash, sid, user_id, auth_time, acr, amr, created_at, expires_at, "
            + "login_request FROM login_sessions ";

    private final SqlExecutor sql;

    public JdbcSessionStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public void save(LoginSession session) {
        AuthenticationEvent auth = session.authentication();
        sql.update("INSERT INTO login_sessions (hash, sid, user_id, auth_time, acr, amr, created_at, expires_at, "
                        + "login_request) VALUES (?,?,?,?,?,?,?,?,?)", session.hash().value(), session.sid(),
                session.userId(), auth == null ? null : auth.authTime(), auth == null ? null : auth.acr(),
                auth == null ? null : JsonColumns.write(auth.amr()), session.createdAt(), session.expiresAt(),
                session.boundRequest());
    }

    @Override
    public Optional<LoginSession> find(TokenHash hash, Instant now) {
        return sql.queryOne(COLUMNS
                        + "WHERE hash = ? AND expires_at > ?",
                JdbcSessionStore::session, hash.value(), now);
    }

    private static LoginSession session(ResultRow row) throws java.sql.SQLException {
        return new LoginSession(new TokenHash(row.string("hash")), row.string("sid"), row.string("user_id"),
                row.authentication(), row.instant("created_at"), row.instant("expires_at"), row.string("login_request"));
    }

    @Override
    public Optional<LoginSession> findBySid(String sid, Instant now) {
        // Several rows may share a sid only by accident of a logout race; any live one names the same user.
        return sql.query(COLUMNS
                        + "WHERE sid = ? AND expires_at > ?",
                JdbcSessionStore::session, sid, now).stream().findFirst();
    }

    @Override
    public boolean extend(TokenHash hash, Instant expiresAt, Instant now) {
        return sql.update("UPDATE login_sessions SET expires_at = ? WHERE hash = ? AND expires_at > ?", expiresAt,
                hash.value(), now) == 1;
    }

    @Override
    public int deleteByUser(String userId) {
        return sql.update("DELETE FROM login_sessions WHERE user_id = ?", userId);
    }

    @Override
    public void delete(TokenHash hash) {
        sql.update("DELETE FROM login_sessions WHERE hash = ?", hash.value());
    }

    @Override
    public int deleteBySid(String sid) {
        return sql.update("DELETE FROM login_sessions WHERE sid = ?", sid);
    }

    @Override
    public int purgeExpired(Instant now) {
        return sql.update("DELETE FROM login_sessions WHERE expires_at <= ?", now);
    }
}
