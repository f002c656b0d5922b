package dev.tessera.server.domain.authz;

import dev.tessera.server.domain.token.TokenHash;

import java.time.Instant;

/**
 * A browser's single sign-on session. The cookie holds a random secret; the store keeps its hash
 * ({@code hash}) and the public session id ({@code sid}) that ID tokens carry.
 *
 * @param expiresAt  when the session ends unless it is used again (idle timeout), never after the absolute limit
 * @param boundRequest the fingerprint of the authorization request whose sign-in started this session, or null:
 *                     that request, and only that one, counts the sign-in as the fresh one prompt=login asks for
 */
public record LoginSession(TokenHash hash, String sid, String userId, AuthenticationEvent authentication,
                           Instant createdAt, Instant expiresAt, String boundRequest) {

    public LoginSession(TokenHash hash, String sid, String userId, AuthenticationEvent authentication,
                        Instant createdAt, Instant expiresAt) {
        this(hash, sid, userId, authentication, createdAt, expiresAt, null);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean startedFor(String requestFingerprint) {
        return boundRequest != null && boundRequest.equals(requestFingerprint);
    }
}
