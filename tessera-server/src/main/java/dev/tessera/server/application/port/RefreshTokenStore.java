package dev.tessera.server.application.port;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.token.TokenHash;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Refresh token families. {@link #rotate} retires the presented token and stores its successor in one
 * transaction, so a crash never loses the successor and never lets the old token work twice.
 */
public interface RefreshTokenStore {
    void save(RefreshToken token);

    /** The token if it is known, whatever its state (active, rotated, revoked, expired). */
    Optional<StoredRefreshToken> find(TokenHash hash);

    /**
     * Atomically: if {@code presented} is active and unexpired, mark it rotated at {@code now} and save
     * {@code successor}. The caller builds the successor from the presented token as {@link #find} returned it
     * (rotation changes only a token's state, never the fields a successor copies); it must be of the same family,
     * which the store checks: another family's successor is never stored ({@link IllegalArgumentException} when
     * the presented token is active).
     */
    default Rotation rotate(TokenHash presented, RefreshToken successor, Instant now) {
        return rotate(presented, successor, now, null);
    }

    /**
     * {@link #rotate(TokenHash, RefreshToken, Instant)} that also records {@code issuedWith}, the access token of
     * the response the successor is handed out in (null: none to record), as part of the same atomic write: the
     * successor and that access token exist exactly when the presented token is retired. It joins the caller's
     * transaction when one is open; otherwise the rotation is committed when this returns.
     */
    Rotation rotate(TokenHash presented, RefreshToken successor, Instant now, IssuedAccessToken issuedWith);

    /**
     * For the reuse grace: atomically retires the successor that rotating {@code presented} handed out (marks
     * it rotated, with no successor of its own, so presenting it later is {@link Rotation.Reused}) and saves
     * {@code replacement} as the new successor. False, with nothing changed, when that successor is no longer
     * active (used, revoked or expired).
     */
    boolean replaceSuccessor(TokenHash presented, RefreshToken replacement, Instant now);

    /** Revokes every token of the family; returns how many were active. */
    int revokeGrant(GrantId grantId, Instant now);

    /**
     * Revokes every token of every family of the user (password changed, account disabled: OWASP ASVS 3.3.3);
     * returns the grants it revoked, so their access tokens can be revoked too.
     */
    Set<GrantId> revokeUser(String userId, Instant now);

    int purgeExpired(Instant now);

    /** A stored token with its lifecycle state. */
    record StoredRefreshToken(RefreshToken token, Instant rotatedAt, Instant revokedAt) {
        public boolean isActive(Instant now) {
            return rotatedAt == null && revokedAt == null && now.isBefore(token.expiresAt());
        }
    }

    sealed interface Rotation {
        record Rotated(RefreshToken successor) implements Rotation { }

        /** The token was already rotated: reuse. {@code rotatedAt} lets a grace period be applied. */
        record Reused(RefreshToken token, Instant rotatedAt) implements Rotation { }

        record Revoked(RefreshToken token) implements Rotation { }

        record Expired(RefreshToken token) implements Rotation { }

        record Unknown() implements Rotation { }
    }
}
