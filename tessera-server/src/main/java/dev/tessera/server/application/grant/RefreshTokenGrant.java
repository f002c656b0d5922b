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
        User user = users.findById(current.userId()).filter(User::enabled)
                .orElseThrow(() -> OAuthException.invalidGrant("the user of this refresh token is no longer active"));
        List<String> audience = ResourceIndicators.narrow(client.client(), parameters.all("resource"), current.resources());

        Instant now = clock.instant();
        OpaqueToken successor = OpaqueToken.generate(OpaqueToken.REFRESH_PREFIX);
        // Build and sign the whole response first, then rotate and store in one short transaction: a response
        // that cannot be built (no signing key, the client's encryption keys unreachable) leaves the token
        // working instead of making the client's retry look like reuse, and nothing holds the row lock or a
        // connection while signing. A revoked token is not worth the signatures.
        TokenIssuer.Prepared prepared = stored.revokedAt() != null ? null
                : issuer.prepare(authorization(client, user, current, requested, audience), successor.value());
        // The successor copies the family's fields from the token as found: rotation changes only a token's state.
        RefreshToken next = successorOf(current, successor, now);
        Outcome outcome = transactor.inTransaction(() -> rotateAndStore(presented, prepared, next, now));
        if (outcome instanceof Outcome.Issued issued) {
            audit.record(issued.event(), Map.of("client_id", client.id(), "grant_id", issued.grantId().value()));
            return issued.response();
        }
        Rotation rotation = ((Outcome.NotRotated) outcome).rotation();
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

    /** What the rotation transaction did; a revocation must outlive it, so it is decided afterwards. */
    private sealed interface Outcome {
        record Issued(TokenResponse response, String event, GrantId grantId) implements Outcome { }

        record NotRotated(Rotation rotation) implements Outcome { }
    }

    private Outcome rotateAndStore(TokenHash presented, TokenIssuer.Prepared prepared, RefreshToken successor,
                                  Instant now) {
        Rotation rotation = refreshTokens.rotate(presented, successor, now);
        if (rotation instanceof Rotation.Rotated rotated) {
            return stored(prepared, "token_refreshed", rotated.successor().grantId());
        }
        // The client lost the response of its last refresh: replace that unused successor once more.
        if (rotation instanceof Rotation.Reused reused && withinReuseGrace(reused, now)
                && refreshTokens.replaceSuccessor(presented, successor, now)) {
            return stored(prepared, "refresh_retry_within_grace", reused.token().grantId());
        }
        return new Outcome.NotRotated(rotation);
    }

    private Outcome stored(TokenIssuer.Prepared prepared, String event, GrantId grantId) {
        if (prepared == null) { // a revoked token never rotates; if it did, roll back rather than answer nothing
            throw new IllegalStateException("a refresh token rotated after it was found revoked");
        }
        issuer.store(prepared);
        return new Outcome.Issued(prepared.response(), event, grantId);
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
