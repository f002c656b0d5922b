package dev.tessera.server.application.port;

import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.token.TokenHash;

import java.time.Instant;
import java.util.Optional;

/**
 * Issued access tokens that may need revoking: every token tied to a user grant is recorded by
 * {@code jti}, so a replayed code or a revoked family ends its access tokens too. Rows live until the
 * token expires.
 */
public interface AccessTokenStore {
    void record(IssuedAccessToken token);

    /** False when the jti was revoked, directly or through its grant. Unknown jtis are not revoked. */
    boolean isRevoked(String jti);

    /** Revokes one token by jti; returns true when a row changed. A jti not yet known is recorded as revoked. */
    boolean revoke(String jti, Instant expiresAt, Instant now);

    int revokeGrant(GrantId grantId, Instant now);

    Optional<IssuedAccessToken> find(String jti);

    /** An opaque access token by the SHA-256 of its value. */
    Optional<IssuedAccessToken> findByOpaqueHash(TokenHash hash);

    int purgeExpired(Instant now);

    /**
     * @param grantId null for client_credentials tokens
     * @param opaqueHash SHA-256 of an opaque token's value, null for JWTs
     * @param opaqueClaims the claims of an opaque token as JSON, null for JWTs
     * @param claimsRequest the OIDC claims request of the token's grant (JSON as sent), which userinfo
     *                      honours; null when none
     */
    record IssuedAccessToken(String jti, GrantId grantId, String clientId, String subject, String opaqueHash,
                             String opaqueClaims, Instant issuedAt, Instant expiresAt, String claimsRequest) {
        public IssuedAccessToken(String jti, GrantId grantId, String clientId, String subject, String opaqueHash,
                                 String opaqueClaims, Instant issuedAt, Instant expiresAt) {
            this(jti, grantId, clientId, subject, opaqueHash, opaqueClaims, issuedAt, expiresAt, null);
        }

        public IssuedAccessToken withClaimsRequest(String json) {
            return new IssuedAccessToken(jti, grantId, clientId, subject, opaqueHash, opaqueClaims, issuedAt,
                    expiresAt, json);
        }
    }
}
