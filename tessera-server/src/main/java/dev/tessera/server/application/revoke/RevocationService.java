package dev.tessera.server.application.revoke;

import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.grant.GrantRevocation;
import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.RefreshTokenStore.StoredRefreshToken;
import dev.tessera.server.application.token.AccessTokenValidator;
import dev.tessera.server.application.token.PresentedTokens;
import dev.tessera.server.application.token.AccessTokenValidator.LiveAccessToken;
import dev.tessera.server.domain.error.OAuthException;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7009. A refresh token revokes its whole family with the family's access tokens; an access token
 * (JWT or opaque) is revoked by jti, so introspection and userinfo refuse it at once. An unknown token
 * is answered 200 (§2.2); a token of another client is refused (§2.1).
 */
public final class RevocationService {
    private final AccessTokenValidator accessTokens;
    private final AccessTokenStore accessTokenStore;
    private final RefreshTokenStore refreshTokens;
    private final GrantRevocation grants;
    private final AuditLog audit;
    private final Clock clock;

    public RevocationService(AccessTokenValidator accessTokens, AccessTokenStore accessTokenStore,
                             RefreshTokenStore refreshTokens, GrantRevocation grants, AuditLog audit, Clock clock) {
        this.accessTokens = accessTokens;
        this.accessTokenStore = accessTokenStore;
        this.refreshTokens = refreshTokens;
        this.grants = grants;
        this.audit = audit;
        this.clock = clock;
    }

    public void revoke(String token, String hint, AuthenticatedClient caller) {
        if (token == null || token.isEmpty()) {
            throw OAuthException.invalidRequest("the token parameter is required");
        }
        if (token.length() > 16_384) {
            return; // cannot be one of ours
        }
        boolean refreshFirst = PresentedTokens.tryRefreshFirst(token, hint);
        boolean revoked = refreshFirst
                ? revokeRefresh(token, caller) || revokeAccess(token, caller)
                : revokeAccess(token, caller) || revokeRefresh(token, caller);
        if (!revoked) {
            audit.record("revocation_unknown_token", Map.of("client_id", caller.id()));
        }
    }

    private boolean revokeRefresh(String token, AuthenticatedClient caller) {
        Optional<StoredRefreshToken> stored = PresentedTokens.findRefresh(refreshTokens, token);
        if (stored.isEmpty()) {
            return false;
        }
        requireOwner(caller, stored.get().token().clientId());
        grants.revoke(stored.get().token().grantId(), "revoked_by_client");
        audit.record("token_revoked", Map.of("client_id", caller.id(), "token_type", "refresh_token"));
        return true;
    }

    private boolean revokeAccess(String token, AuthenticatedClient caller) {
        Optional<LiveAccessToken> identified = accessTokens.identify(token);
        if (identified.isEmpty() || identified.get().jti() == null) {
            return false;
        }
        requireOwner(caller, identified.get().clientId());
        Date expiry = identified.get().claims().getExpirationTime();
        Instant expiresAt = expiry == null ? clock.instant() : expiry.toInstant();
        accessTokenStore.revoke(identified.get().jti(), expiresAt, clock.instant());
        audit.record("token_revoked", Map.of("client_id", caller.id(), "token_type", "access_token",
                "jti", identified.get().jti()));
        return true;
    }

    // RFC 7009 §2.1: the server verifies that the token was issued to the client making the request.
    private static void requireOwner(AuthenticatedClient caller, String tokenClientId) {
        if (!caller.id().equals(tokenClientId)) {
            throw OAuthException.invalidRequest("the token was not issued to this client, so it cannot revoke it");
        }
    }
}
