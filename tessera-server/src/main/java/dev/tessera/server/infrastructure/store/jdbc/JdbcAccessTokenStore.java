package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.token.TokenHash;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Issued access tokens by jti, kept until they expire so revocation (directly, or of their grant)
 * can be checked. Revoking an unknown jti writes a revoked placeholder row, so a token recorded late,
 * or issued by another instance, is still refused.
 */
public final class JdbcAccessTokenStore implements AccessTokenStore {
    private static final String COLUMNS = AccessTokenRows.COLUMNS;

    private final SqlExecutor sql;

    public JdbcAccessTokenStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public void record(IssuedAccessToken token) {
        AccessTokenRows.record(sql, token);
    }

    @Override
    public boolean isRevoked(String jti) {
        return sql.queryOne("SELECT revoked_at FROM access_tokens WHERE jti = ?",
                row -> row.instant("revoked_at") != null, jti).orElse(false);
    }

    @Override
    public boolean revoke(String jti, Instant expiresAt, Instant now) {
        return sql.transaction(() -> {
            if (sql.update("UPDATE access_tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL", now, jti) == 1) {
                return true;
            }
            if (sql.insertIgnoringDuplicate("INSERT INTO access_tokens (jti, expires_at, revoked_at) VALUES (?,?,?)",
                    jti, expiresAt, now)) {
                return true;
            }
            // Lost a race with record() or revoke(): the row exists now; revoke it unless already revoked.
            return sql.update("UPDATE access_tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL",
                    now, jti) == 1;
        });
    }

    @Override
    public int revokeGrant(GrantId grantId, Instant now) {
        return sql.update("UPDATE access_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
                now, grantId.value());
    }

    /** Only tokens that were recorded; a revoked placeholder for an unknown jti is not an issued token. */
    @Override
    public Optional<IssuedAccessToken> find(String jti) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM access_tokens WHERE jti = ? AND issued_at IS NOT NULL",
                JdbcAccessTokenStore::map, jti);
    }

    @Override
    public Optional<IssuedAccessToken> findByOpaqueHash(TokenHash hash) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM access_tokens WHERE opaque_hash = ? AND issued_at IS NOT NULL",
                JdbcAccessTokenStore::map, hash.value());
    }

    @Override
    public int purgeExpired(Instant now) {
        return sql.update("DELETE FROM access_tokens WHERE expires_at <= ?", now);
    }

    private static IssuedAccessToken map(ResultRow row) throws SQLException {
        String grantId = row.string("grant_id");
        return new IssuedAccessToken(row.string("jti"), grantId == null ? null : new GrantId(grantId),
                row.string("client_id"), row.string("subject"), row.string("opaque_hash"),
                row.string("opaque_claims"), row.instant("issued_at"), row.instant("expires_at"),
                row.string("claims_request"));
    }
}
