package dev.tessera.server.domain.authz;

import dev.tessera.server.domain.token.TokenHash;

import java.time.Instant;

/**
 * A browser's single sign-on session. The cookie holds a random secret; the store keeps its hash
 * ({@code hash}) and the public session id ({@code sid}) that ID tokens carry.
 */
public record LoginSession(TokenHash hash, String sid, String userId, AuthenticationEvent authentication,
                           Instant createdAt, Instant expiresAt) {
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
