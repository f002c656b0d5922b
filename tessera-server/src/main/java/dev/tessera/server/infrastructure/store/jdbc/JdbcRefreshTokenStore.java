package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.token.TokenHash;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Refresh token families by hash. Rotation retires the presented row with a conditional UPDATE and inserts the
 * successor (and the access token of the response it is handed out in) only if that UPDATE matched, so concurrent
 * rotations of one token have exactly one winner. On PostgreSQL that is one statement (one round trip, atomic
 * without a transaction); on H2 it is the same writes in one transaction. Either joins the caller's transaction
 * when one is open. Rotated rows stay until the family's absolute expiry so that reuse of any member is still
 * recognised (OAuth 2.0 Security BCP §4.14.2).
 */
public final class JdbcRefreshTokenStore implements RefreshTokenStore {
    private static final String COLUMNS = "hash, grant_id, client_id, user_id, scopes, auth_time, acr, amr, "
            + "session_id, resources, issued_at, expires_at, family_expires_at, rotated_at, revoked_at, claims_request";

    // The columns a new member is written with; rotated_at and revoked_at start NULL.
    private static final String INSERTED = "hash, grant_id, client_id, user_id, scopes, auth_time, acr, amr, "
            + "session_id, resources, issued_at, expires_at, family_expires_at, claims_request";
    private static final String PLACEHOLDERS = "?,?,?,?,?,?,?,?,?,?,?,?,?,?";
    // The family check is IS NOT DISTINCT FROM (grant_id is NOT NULL, so it means =) because no index serves it: with
    // "grant_id = ?" PostgreSQL may find the row through ix_refresh_tokens_grant and filter the whole family by hash
    // (it did whenever the table had no statistics yet), so every rotation cost more the longer its family was.
    private static final String RETIRE = "UPDATE refresh_tokens SET rotated_at = ?, replaced_by = ? WHERE hash = ? "
            + "AND grant_id IS NOT DISTINCT FROM ? AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > ? "
            + "AND family_expires_at > ?";
    // PostgreSQL: the retirement, the successor and the response's access token as one statement. The INSERTs take
    // their rows from the UPDATE's RETURNING, so they write exactly when it retired the presented token; of two
    // statements presenting one token, the second waits for the row lock, then finds it rotated and writes nothing.
    private static final String ROTATE_SUCCESSOR = "WITH retired AS (" + RETIRE + " RETURNING hash), "
            + "successor AS (INSERT INTO refresh_tokens (" + INSERTED + ") SELECT " + PLACEHOLDERS
            + " FROM retired RETURNING hash)";
    private static final String ROTATE = ROTATE_SUCCESSOR + " SELECT COUNT(*) AS rotated FROM successor";
    private static final String ROTATE_WITH_ACCESS_TOKEN = ROTATE_SUCCESSOR + ", access AS ("
            + AccessTokenRows.insertForEachRowOf("successor") + " RETURNING jti) "
            + "SELECT COUNT(*) AS rotated FROM successor";

    private final SqlExecutor sql;
    private final SqlDialect dialect;

    public JdbcRefreshTokenStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
        this.dialect = dialect;
    }

    @Override
    public void save(RefreshToken token) {
        sql.update("INSERT INTO refresh_tokens (" + INSERTED + ") VALUES (" + PLACEHOLDERS + ")", values(token));
    }

    /** The parameters of {@link #INSERTED}, in order: a new member is neither rotated nor revoked. */
    private static Object[] values(RefreshToken token) {
        AuthenticationEvent auth = token.authentication();
        return new Object[] {token.hash().value(), token.grantId().value(), token.clientId(), token.userId(),
                token.scopes() == null ? null : token.scopes().asString(),
                auth == null ? null : auth.authTime(), auth == null ? null : auth.acr(),
                auth == null ? null : JsonColumns.write(auth.amr()), token.sessionId(),
                JsonColumns.write(token.resources()), token.issuedAt(), token.expiresAt(), token.familyExpiresAt(),
                token.claimsRequest()};
    }

    @Override
    public Optional<StoredRefreshToken> find(TokenHash hash) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM refresh_tokens WHERE hash = ?",
                JdbcRefreshTokenStore::map, hash.value());
    }

    @Override
    public Rotation rotate(TokenHash presented, RefreshToken successor, Instant now, IssuedAccessToken issuedWith) {
        if (dialect.writesInWithClauses()) {
            // One statement, atomic on its own: no transaction round trips around it when the caller has none open.
            boolean won = sql.queryOne(issuedWith == null ? ROTATE : ROTATE_WITH_ACCESS_TOKEN,
                    row -> row.longValue("rotated") == 1, rotationParameters(presented, successor, now, issuedWith))
                    .orElse(false);
            return won ? new Rotation.Rotated(successor) : refused(presented, now);
        }
        return sql.transaction(() -> {
            // One conditional UPDATE retires the token and links it to its successor: of two requests presenting it,
            // the database lets exactly one match (the other waits for the row, then finds rotated_at set).
            int won = sql.update(RETIRE, retireParameters(presented, successor, now));
            if (won != 1) {
                return refused(presented, now);
            }
            save(successor); // same transaction: the successor exists exactly when the presented token is retired
            if (issuedWith != null) {
                AccessTokenRows.record(sql, issuedWith);
            }
            return new Rotation.Rotated(successor);
        });
    }

    // Only a refused rotation reads the row, to say why.
    private Rotation refused(TokenHash presented, Instant now) {
        Optional<StoredRefreshToken> stored = find(presented);
        if (stored.isEmpty()) {
            return new Rotation.Unknown();
        }
        StoredRefreshToken current = stored.get();
        // Revoked wins over reused: a reuse grace period must never revive a revoked family.
        if (current.revokedAt() != null) {
            return new Rotation.Revoked(current.token());
        }
        if (current.rotatedAt() != null) {
            return new Rotation.Reused(current.token(), current.rotatedAt());
        }
        if (current.isActive(now) && now.isBefore(current.token().familyExpiresAt())) {
            throw new IllegalArgumentException("the successor belongs to another refresh token family");
        }
        return new Rotation.Expired(current.token());
    }

    private static Object[] retireParameters(TokenHash presented, RefreshToken successor, Instant now) {
        return new Object[] {now, successor.hash().value(), presented.value(), successor.grantId().value(), now, now};
    }

    private static Object[] rotationParameters(TokenHash presented, RefreshToken successor, Instant now,
                                               IssuedAccessToken issuedWith) {
        List<Object> parameters = new ArrayList<>(List.of(retireParameters(presented, successor, now)));
        parameters.addAll(Arrays.asList(values(successor)));
        if (issuedWith != null) {
            parameters.addAll(Arrays.asList(AccessTokenRows.values(issuedWith)));
        }
        return parameters.toArray();
    }

    @Override
    public boolean replaceSuccessor(TokenHash presented, RefreshToken replacement, Instant now) {
        return sql.transaction(() -> {
            // A retired successor has none of its own (replaced_by is NULL): nothing to replace.
            Optional<String> successor = sql.queryOne("SELECT replaced_by FROM refresh_tokens WHERE hash = ? "
                    + "AND replaced_by IS NOT NULL", row -> row.string("replaced_by"), presented.value());
            if (successor.isEmpty()) {
                return false;
            }
            // Retired as if used, not revoked: presenting it later is reuse, which revokes the family.
            int retired = sql.update("UPDATE refresh_tokens SET rotated_at = ? WHERE hash = ? AND rotated_at IS NULL "
                    + "AND revoked_at IS NULL AND expires_at > ?", now, successor.get(), now);
            if (retired != 1) {
                return false;
            }
            save(replacement);
            sql.update("UPDATE refresh_tokens SET replaced_by = ? WHERE hash = ?", replacement.hash().value(),
                    presented.value());
            return true;
        });
    }

    @Override
    public int revokeGrant(GrantId grantId, Instant now) {
        return sql.transaction(() -> {
            int active = sql.update("UPDATE refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL "
                    + "AND rotated_at IS NULL AND expires_at > ? AND family_expires_at > ?",
                    now, grantId.value(), now, now);
            // Rotated and expired members are marked too, so presenting them later reports Revoked.
            sql.update("UPDATE refresh_tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
                    now, grantId.value());
            return active;
        });
    }

    @Override
    public Set<GrantId> revokeUser(String userId, Instant now) {
        return sql.transaction(() -> {
            if (sql.update("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now,
                    userId) == 0) {
                return Set.of();
            }
            // The families this statement revoked now carry this instant. (One revoked in the same microsecond
            // before would be named again: revoking its access tokens twice is harmless.)
            return new LinkedHashSet<>(sql.query("SELECT DISTINCT grant_id FROM refresh_tokens WHERE user_id = ? "
                    + "AND revoked_at = ?", row -> new GrantId(row.string("grant_id")), userId, now));
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        // A member that was never rotated is useless once expired; a rotated one is kept for reuse detection.
        return sql.update("DELETE FROM refresh_tokens WHERE family_expires_at <= ? "
                + "OR (rotated_at IS NULL AND expires_at <= ?)", now, now);
    }

    private static StoredRefreshToken map(ResultRow row) throws SQLException {
        RefreshToken token = new RefreshToken(new TokenHash(row.string("hash")), new GrantId(row.string("grant_id")),
                row.string("client_id"), row.string("user_id"), row.scopes("scopes"), row.authentication(),
                row.string("session_id"), JsonColumns.strings(row.string("resources")), row.instant("issued_at"),
                row.instant("expires_at"), row.instant("family_expires_at"), row.string("claims_request"));
        return new StoredRefreshToken(token, row.instant("rotated_at"), row.instant("revoked_at"));
    }
}
