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

/**
 * Browser SSO sessions: the cookie carries a random secret, the store only its hash. A session ends after
 * {@code idleTimeout} without use, each use moving that point on, and at the latest {@code maxLifetime} after
 * its sign-in (OWASP ASVS 3.3.1, 3.3.2).
 */
public final class SessionService {
    private final SessionStore sessions;
    private final Duration idleTimeout;
    private final Duration slideStep;
    private final Duration maxLifetime;
    private final Clock clock;

    public SessionService(SessionStore sessions, Duration idleTimeout, Duration maxLifetime, Clock clock) {
        this.sessions = sessions;
        this.idleTimeout = idleTimeout;
        // Sliding on every request would write on every request: a tenth of the timeout, at most a minute, is
        // precise enough.
        Duration tenth = idleTimeout.dividedBy(10);
        this.slideStep = tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
        this.maxLifetime = maxLifetime;
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
        OpaqueToken secret = OpaqueToken.generate(OpaqueToken.SESSION_PREFIX);
        Instant now = clock.instant();
        LoginSession session = new LoginSession(secret.hash(), UUID.randomUUID().toString(), userId, authentication,
                now, expiryAfterUse(now, now), request.fingerprint());
        sessions.save(session);
        return new Started(session, secret.value());
    }

    /** The live session the cookie refers to; finding it counts as using it. */
    public Optional<LoginSession> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 256) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        TokenHash hash = TokenHash.of(cookieValue);
        Optional<LoginSession> found = sessions.find(hash, now);
        if (found.isEmpty()) {
            return found;
        }
        LoginSession session = found.get();
        Instant slid = expiryAfterUse(session.createdAt(), now);
        if (slid.isAfter(session.expiresAt().plus(slideStep)) && sessions.extend(hash, slid, now)) {
            return Optional.of(new LoginSession(session.hash(), session.sid(), session.userId(),
                    session.authentication(), session.createdAt(), slid, session.boundRequest()));
        }
        return found;
    }

    public void end(String cookieValue) {
        if (cookieValue != null && !cookieValue.isEmpty()) {
            sessions.delete(TokenHash.of(cookieValue));
        }
    }

    private Instant expiryAfterUse(Instant createdAt, Instant now) {
        Instant idle = now.plus(idleTimeout);
        Instant absolute = createdAt.plus(maxLifetime);
        return idle.isBefore(absolute) ? idle : absolute;
    }
}
