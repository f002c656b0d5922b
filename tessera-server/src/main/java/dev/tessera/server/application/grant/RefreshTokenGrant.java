package dev.tessera.server.application.grant;

import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.issue.ClaimsRequestParser;
import dev.tessera.server.application.issue.ResourceIndicators;
import dev.tessera.server.application.issue.TokenIssuer;
import dev.tessera.server.application.issue.UserAuthorization;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.RefreshTokenStore.Rotation;
import dev.tessera.server.application.port.RefreshTokenStore.StoredRefreshToken;
import dev.tessera.server.application.port.Transactor;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.application.token.Grant;
import dev.tessera.server.application.token.TokenParameters;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.token.TokenHash;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 6749 §6 with rotation (OAuth 2.0 Security BCP §4.14.2): every use retires the presented token and
 * hands out a successor of the same family; presenting a retired member revokes the whole family. A
 * successor the reuse grace replaced counts as retired: in other hands it is the sign of a theft.
 */
public final class RefreshTokenGrant implements Grant {
    private final RefreshTokenStore refreshTokens;
    private final UserStore users;
    private final TokenIssuer issuer;
    private final GrantRevocation revocation;
    private final Transactor transactor;
    private final ServerSettings settings;
    private final AuditLog audit;
    private final Clock clock;

    public RefreshTokenGrant(RefreshTokenStore refreshTokens, UserStore users, TokenIssuer issuer,
                             GrantRevocation revocation, Transactor transactor, ServerSettings settings,
                             AuditLog audit, Clock clock) {
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.issuer = issuer;
        this.revocation = revocation;
        this.transactor = transactor;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public String grantType() {
        return GrantTypes.REFRESH_TOKEN;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("refresh_token", "scope", "resource");
    }

    @Override
    public Set<String> repeatableParameters() {
        return Set.of("resource"); // RFC 8707 §2
    }

    @Override
    public boolean allowsPublicClients() {
        return true;
    }

    @Override
    public TokenResponse exchange(TokenParameters parameters, AuthenticatedClient client) {
        TokenHash presented = TokenHash.of(parameters.required("refresh_token"));
        StoredRefreshToken stored = refreshTokens.find(presented)
                .orElseThrow(() -> OAuthException.invalidGrant("the refresh token is not valid"));
        RefreshToken current = stored.token();
        // RFC 6749 §6: the refresh token is bound to the client it was issued to.
        if (!current.clientId().equals(client.id())) {
            audit.record("refresh_token_wrong_client", Map.of("client_id", client.id(), "grant_id", current.grantId().value()));
            throw OAuthException.invalidGrant("the refresh token was issued to another client");
        }
        Scopes requested = Scopes.parse(parameters.single("scope"));
        // RFC 6749 §6: the new scope must not include any scope not originally granted.
        if (!current.scopes().containsAll(requested)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE,
                    "a refresh may only narrow the scope: " + requested.without(current.scopes()).asString()
                            + " was not granted");
        }
        if (stored.revokedAt() != null) { // not worth the signatures; revoked wins over reused (no grace revives it)
            throw OAuthException.invalidGrant("the refresh token has been revoked");
        }
        User user = users.findById(current.userId()).filter(User::enabled)
                .orElseThrow(() -> OAuthException.invalidGrant("the user of this refresh token is no longer active"));
        List<String> audience = ResourceIndicators.narrow(client.client(), parameters.all("resource"), current.resources());

        Instant now = clock.instant();
        OpaqueToken successor = OpaqueToken.generate(OpaqueToken.REFRESH_PREFIX);
        // Build and sign the whole response first, then rotate and store it in one short write: a response that
        // cannot be built (no signing key, the client's encryption keys unreachable) leaves the token working
        // instead of making the client's retry look like reuse, and nothing holds the row lock or a connection
        // while signing.
        TokenIssuer.Prepared prepared = issuer.prepare(authorization(client, user, current, requested, audience),
                successor.value());
        // The successor copies the family's fields from the token as found: rotation changes only a token's state.
        RefreshToken next = successorOf(current, successor, now);
        // The response's access token row is written by the rotation itself: one atomic write, and on PostgreSQL
        // one statement without a transaction around it.
        Rotation rotation = refreshTokens.rotate(presented, next, now, prepared.accessTokenRecord());
        if (rotation instanceof Rotation.Rotated rotated) {
            return issued(prepared, "token_refreshed", client, rotated.successor().grantId());
        }
        // The client lost the response of its last refresh: replace that unused successor once more.
        if (rotation instanceof Rotation.Reused reused && withinReuseGrace(reused, now)
                && transactor.inTransaction(() -> replaceSuccessor(presented, prepared, next, now))) {
            return issued(prepared, "refresh_retry_within_grace", client, reused.token().grantId());
        }
        // The family's revocation is a write of its own, after the refused rotation (which wrote nothing).
        if (rotation instanceof Rotation.Reused reused) {
            revocation.revokeReusedFamily(reused.token().grantId(), client.id(), null);
            throw OAuthException.invalidGrant(
                    "the refresh token was already used; every token of this sign-in has been revoked, sign in again");
        }
        if (rotation instanceof Rotation.Revoked) {
            throw OAuthException.invalidGrant("the refresh token has been revoked");
        }
        if (rotation instanceof Rotation.Expired) {
            throw OAuthException.invalidGrant("the refresh token has expired; sign in again");
        }
        throw OAuthException.invalidGrant("the refresh token is not valid");
    }

    private TokenResponse issued(TokenIssuer.Prepared prepared, String event, AuthenticatedClient client,
                                 GrantId grantId) {
        audit.record(event, Map.of("client_id", client.id(), "grant_id", grantId.value()));
        return prepared.response();
    }

    // Within the caller's transaction: the replacement and its response's access token are stored together or not at all.
    private boolean replaceSuccessor(TokenHash presented, TokenIssuer.Prepared prepared, RefreshToken replacement,
                                     Instant now) {
        if (!refreshTokens.replaceSuccessor(presented, replacement, now)) {
            return false;
        }
        issuer.store(prepared);
        return true;
    }

    // The family's grant as found; rotation changes only the token's state, never these fields.
    private static UserAuthorization authorization(AuthenticatedClient client, User user, RefreshToken current,
                                                   Scopes requested, List<String> audience) {
        Scopes granted = requested.isEmpty() ? current.scopes() : requested;
        return new UserAuthorization(client.client(), user, granted, current.authentication(), current.sessionId(),
                null, current.grantId(), ClaimsRequestParser.parse(current.claimsRequest()), audience);
    }

    /**
     * tokens.refreshTokenReuseGrace (SPEC §4): a retry shortly after a rotation is more likely a lost response
     * than a stolen token. The grace trades a small window in which a thief racing the client is not detected
     * for not logging out clients on flaky networks; 0s (the default) turns it off.
     */
    private boolean withinReuseGrace(Rotation.Reused reused, Instant now) {
        Duration grace = settings.refreshTokenReuseGrace();
        return !grace.isZero() && reused.rotatedAt() != null && !now.isAfter(reused.rotatedAt().plus(grace));
    }

    // The family keeps its scope (RFC 6749 §6) and its claims request (SPEC §5); each rotation slides the expiry up to the family's cap.
    private RefreshToken successorOf(RefreshToken previous, OpaqueToken successor, Instant now) {
        Instant expiresAt = RefreshPolicy.min(now.plus(settings.refreshTokenTtl()), previous.familyExpiresAt());
        return new RefreshToken(successor.hash(), previous.grantId(), previous.clientId(), previous.userId(),
                previous.scopes(), previous.authentication(), previous.sessionId(), previous.resources(), now,
                expiresAt, previous.familyExpiresAt(), previous.claimsRequest());
    }
}
