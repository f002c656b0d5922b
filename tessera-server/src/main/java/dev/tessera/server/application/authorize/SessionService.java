package dev.tessera.server.application.authorize;

import dev.tessera.server.application.port.SessionStore;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.TokenHash;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Browser SSO sessions: the cookie carries a random secret, the store only its hash. */
public final class SessionService {
    private final SessionStore sessions;
    private final Duration ttl;
    private final Clock clock;

    public SessionService(SessionStore sessions, Duration ttl, Clock clock) {
        this.sessions = sessions;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A started session and the cookie value that refers to it. */
    public record Started(LoginSession session, String cookieValue) {
        @Override
        public String toString() {
            return "Started[" + session.sid() + "]";
        }
    }

    /** A session whose sign-in answered {@code request}, which may then count it as the fresh sign-in it asked for. */
    public Started startFor(AuthorizationRequest request, String userId, AuthenticationEvent authentication) {
        return start(userId, authentication, request.fingerprint());
    }

    private Started start(String userId, AuthenticationEvent authentication, String boundRequest) {
        OpaqueToken secret = OpaqueToken.generate(OpaqueToken.SESSION_PREFIX);
        Instant now = clock.instant();
        LoginSession session = new LoginSession(secret.hash(), UUID.randomUUID().toString(), userId, authentication,
                now, now.plus(ttl), boundRequest);
        sessions.save(session);
        return new Started(session, secret.value());
    }

    public Optional<LoginSession> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 256) {
            return Optional.empty();
        }
        return sessions.find(TokenHash.of(cookieValue), clock.instant());
    }

    public void end(String cookieValue) {
        if (cookieValue != null && !cookieValue.isEmpty()) {
            sessions.delete(TokenHash.of(cookieValue));
        }
    }

    public Duration ttl() {
        return ttl;
    }
}
