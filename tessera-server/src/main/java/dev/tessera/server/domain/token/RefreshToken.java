package dev.tessera.server.domain.token;

import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.scope.Scopes;

import java.time.Instant;
import java.util.List;

/**
 * One refresh token of a family. Every rotation writes a successor with the same {@code grantId};
 * presenting a rotated-out member revokes the whole family (OAuth 2.0 Security BCP §4.14).
 *
 * @param expiresAt sliding expiry of this member
 * @param familyExpiresAt absolute cap for the family ({@code tokens.refreshTokenMaxTtl})
 * @param resources RFC 8707 resources granted at authorization
 * @param claimsRequest the OIDC claims request of the authorization (JSON as sent), or null; every refresh
 *                      honours it (SPEC §5)
 */
public record RefreshToken(TokenHash hash, GrantId grantId, String clientId, String userId, Scopes scopes,
                           AuthenticationEvent authentication, String sessionId, List<String> resources,
                           Instant issuedAt, Instant expiresAt, Instant familyExpiresAt, String claimsRequest) {
    public RefreshToken {
        resources = List.copyOf(resources);
    }

    /** A token of a grant without a claims request. */
    public RefreshToken(TokenHash hash, GrantId grantId, String clientId, String userId, Scopes scopes,
                        AuthenticationEvent authentication, String sessionId, List<String> resources,
                        Instant issuedAt, Instant expiresAt, Instant familyExpiresAt) {
        this(hash, grantId, clientId, userId, scopes, authentication, sessionId, resources, issuedAt, expiresAt,
                familyExpiresAt, null);
    }
}
