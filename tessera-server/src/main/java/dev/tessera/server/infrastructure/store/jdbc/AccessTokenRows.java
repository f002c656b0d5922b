package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;

/**
 * The row that records an issued access token, written by {@link JdbcAccessTokenStore} and by the refresh rotation
 * that stores its response's access token in the same write. Revoking a jti not yet recorded leaves a revoked
 * placeholder (issued_at NULL); recording that jti later fills the placeholder in and keeps it revoked.
 */
final class AccessTokenRows {
    static final String COLUMNS =
            "jti, grant_id, client_id, subject, opaque_hash, opaque_claims, issued_at, expires_at, claims_request";
    private static final String PLACEHOLDERS = "?,?,?,?,?,?,?,?,?";

    private AccessTokenRows() {
    }

    /** Inserts the token's row, or fills in the revoked placeholder of its jti; joins an open transaction. */
    static void record(SqlExecutor sql, IssuedAccessToken token) {
        sql.transaction(() -> {
            boolean inserted = sql.insertIgnoringDuplicate("INSERT INTO access_tokens (" + COLUMNS + ", revoked_at) "
                    + "VALUES (" + PLACEHOLDERS + ", NULL)", values(token));
            if (!inserted) {
                // Only a revoked placeholder may exist already; fill it in and keep it revoked.
                sql.update("UPDATE access_tokens SET grant_id = ?, client_id = ?, subject = ?, opaque_hash = ?, "
                                + "opaque_claims = ?, issued_at = ?, expires_at = ?, claims_request = ? "
                                + "WHERE jti = ? AND issued_at IS NULL",
                        grantId(token), token.clientId(), token.subject(), token.opaqueHash(), token.opaqueClaims(),
                        token.issuedAt(), token.expiresAt(), token.claimsRequest(), token.jti());
            }
            return null;
        });
    }

    /**
     * PostgreSQL only: the same write as {@link #record} as one statement that inserts the row once for each row
     * {@code source} (a name in the statement's WITH clause) yields, so it can be part of a larger statement.
     * Its parameters are {@link #values}.
     */
    static String insertForEachRowOf(String source) {
        return "INSERT INTO access_tokens (" + COLUMNS + ", revoked_at) SELECT " + PLACEHOLDERS + ", NULL FROM "
                + source + " ON CONFLICT (jti) DO UPDATE SET grant_id = EXCLUDED.grant_id, "
                + "client_id = EXCLUDED.client_id, subject = EXCLUDED.subject, opaque_hash = EXCLUDED.opaque_hash, "
                + "opaque_claims = EXCLUDED.opaque_claims, issued_at = EXCLUDED.issued_at, "
                + "expires_at = EXCLUDED.expires_at, claims_request = EXCLUDED.claims_request "
                + "WHERE access_tokens.issued_at IS NULL";
    }

    /** The parameters of {@link #COLUMNS}, in order. */
    static Object[] values(IssuedAccessToken token) {
        return new Object[] {token.jti(), grantId(token), token.clientId(), token.subject(), token.opaqueHash(),
                token.opaqueClaims(), token.issuedAt(), token.expiresAt(), token.claimsRequest()};
    }

    private static String grantId(IssuedAccessToken token) {
        return token.grantId() == null ? null : token.grantId().value();
    }
}
