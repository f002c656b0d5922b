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
 */
public record RefreshToken(TokenHash hash, GrantId grantId, String clientId, String userId, Scopes scopes,
                           AuthenticationEvent authentication, String sessionId, List<String> resources,
                           Instant issuedAt, Instant expiresAt, Instant familyExpiresAt) {
    public RefreshToken {
        resources = List.copyOf(resources);
    }
}
