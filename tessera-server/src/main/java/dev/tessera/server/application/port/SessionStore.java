package dev.tessera.server.application.port;

import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.token.TokenHash;

import java.time.Instant;
import java.util.Optional;

/** Browser SSO sessions, by hash of the cookie secret. */
public interface SessionStore {
    void save(LoginSession session);

    /** The session if known and not expired at {@code now}. */
    Optional<LoginSession> find(TokenHash hash, Instant now);

    /**
     * The live session with this public sid, if any. Token exchange needs it to find the user behind a pairwise
     * ID token, whose {@code sub} cannot be reversed.
     */
    Optional<LoginSession> findBySid(String sid, Instant now);

    /** Moves a live session's expiry to {@code expiresAt} (idle timeout sliding on use); false when it had ended. */
    boolean extend(TokenHash hash, Instant expiresAt, Instant now);

    void delete(TokenHash hash);

    /** Ends every session of the user (password changed, account disabled: OWASP ASVS 3.3.3). */
    int deleteByUser(String userId);

    /** Ends every session with this sid (RP-initiated logout knows only the sid). */
    int deleteBySid(String sid);

    int purgeExpired(Instant now);
}
