package dev.tessera.server.domain.authz;

import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.TokenHash;

import java.time.Instant;
import java.util.List;

/**
 * What an authorization code stands for. It binds the client, redirect_uri, PKCE challenge, nonce and
 * scopes (RFC 6749 §4.1.3); {@code claimsRequest} is the raw OIDC {@code claims} parameter (JSON) or null.
 */
public record AuthorizationCode(TokenHash hash, GrantId grantId, String clientId, String userId, String redirectUri,
                                PkceChallenge pkce, String nonce, Scopes scopes, AuthenticationEvent authentication,
                                String sessionId, String claimsRequest, List<String> resources, Instant issuedAt,
                                Instant expiresAt) {
    public AuthorizationCode {
        resources = List.copyOf(resources);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
