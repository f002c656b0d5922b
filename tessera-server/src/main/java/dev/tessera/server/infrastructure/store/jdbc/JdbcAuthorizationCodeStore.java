package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.AuthorizationCodeStore;
import dev.tessera.server.application.port.AuthorizationCodeStore.StoredCode;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.authz.PkceChallenge;
import dev.tessera.server.domain.token.TokenHash;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Authorization codes by hash. {@link #redeem} is one conditional UPDATE: the database's row lock
 * decides the single winner among concurrent redeemers (dex's DeleteAuthCode gate, without the delete,
 * so a replay can still name the grant to revoke).
 */
public final class JdbcAuthorizationCodeStore implements AuthorizationCodeStore {
    private static final String COLUMNS = "hash, grant_id, client_id, user_id, redirect_uri, pkce_challenge, nonce, "
            + "scopes, auth_time, acr, amr, session_id, claims_request, resources, issued_at, expires_at, used_at";

    private final SqlExecutor sql;

    public JdbcAuthorizationCodeStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public void save(AuthorizationCode code) {
        AuthenticationEvent auth = code.authentication();
        sql.update("INSERT INTO authorization_codes (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                code.hash().value(), code.grantId().value(), code.clientId(), code.userId(), code.redirectUri(),
                code.pkce() == null ? null : code.pkce().challenge(), code.nonce(),
                code.scopes() == null ? null : code.scopes().asString(),
                auth == null ? null : auth.authTime(), auth == null ? null : auth.acr(),
                auth == null ? null : JsonColumns.write(auth.amr()), code.sessionId(), code.claimsRequest(),
                JsonColumns.write(code.resources()), code.issuedAt(), code.expiresAt(), null);
    }

    @Override
    public Redemption redeem(TokenHash hash, Instant now) {
        return sql.transaction(() -> {
            // RFC 6749 §4.1.2: a code is single use; the row lock makes this the only winner.
            int won = sql.update("UPDATE authorization_codes SET used_at = ? "
                    + "WHERE hash = ? AND used_at IS NULL AND expires_at > ?", now, hash.value(), now);
            Optional<StoredCode> stored = find(hash);
            if (stored.isEmpty()) {
                return new Redemption.Unknown();
            }
            StoredCode code = stored.get();
            if (won == 1) {
                return new Redemption.Redeemed(code.code());
            }
            // A used code is a replay even once expired: the caller revokes what its first use issued.
            if (code.usedAt() != null) {
                return new Redemption.Replayed(code.code());
            }
            return new Redemption.Expired();
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        return sql.update("DELETE FROM authorization_codes WHERE expires_at <= ?", now);
    }

    @Override
    public Optional<StoredCode> find(TokenHash hash) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM authorization_codes WHERE hash = ?",
                JdbcAuthorizationCodeStore::map, hash.value());
    }

    private static StoredCode map(ResultRow row) throws SQLException {
        String pkce = row.string("pkce_challenge");
        AuthorizationCode code = new AuthorizationCode(new TokenHash(row.string("hash")),
                new GrantId(row.string("grant_id")), row.string("client_id"), row.string("user_id"),
                row.string("redirect_uri"), pkce == null ? null : new PkceChallenge(pkce), row.string("nonce"),
                row.scopes("scopes"), row.authentication(), row.string("session_id"), row.string("claims_request"),
                JsonColumns.strings(row.string("resources")), row.instant("issued_at"), row.instant("expires_at"));
        return new StoredCode(code, row.instant("used_at"));
    }
}
