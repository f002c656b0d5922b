package dev.tessera.server.application.grant;

import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.issue.ClaimsRequestParser;
import dev.tessera.server.application.issue.ResourceIndicators;
import dev.tessera.server.application.issue.TokenIssuer;
import dev.tessera.server.application.issue.UserAuthorization;
import dev.tessera.server.application.port.AuthorizationCodeStore;
import dev.tessera.server.application.port.AuthorizationCodeStore.Redemption;
import dev.tessera.server.application.port.AuthorizationCodeStore.StoredCode;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.Transactor;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.application.token.Grant;
import dev.tessera.server.application.token.TokenParameters;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.token.TokenHash;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 6749 §4.1.3 with RFC 7636. The code is consumed by one atomic store call before anything is
 * checked, so two concurrent redemptions can never both mint tokens; the price is that a failed check
 * (wrong verifier, wrong client) also burns the code. The response is built and signed from the code as
 * found before the consumption, which commits only with it, so a server-side failure leaves the client a
 * code it can retry, not one it must replay.
 */
public final class AuthorizationCodeGrant implements Grant {
    private final AuthorizationCodeStore codes;
    private final RefreshTokenStore refreshTokens;
    private final UserStore users;
    private final TokenIssuer issuer;
    private final GrantRevocation revocation;
    private final Transactor transactor;
    private final ServerSettings settings;
    private final Clock clock;

    public AuthorizationCodeGrant(AuthorizationCodeStore codes, RefreshTokenStore refreshTokens, UserStore users,
                                  TokenIssuer issuer, GrantRevocation revocation, Transactor transactor,
                                  ServerSettings settings, Clock clock) {
        this.codes = codes;
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.issuer = issuer;
        this.revocation = revocation;
        this.transactor = transactor;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String grantType() {
        return GrantTypes.AUTHORIZATION_CODE;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("code", "redirect_uri", "code_verifier", "resource");
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
        TokenHash presented = TokenHash.of(parameters.required("code"));
        Instant now = clock.instant();
        // Build and sign the response from the code as found, then redeem and store in one short transaction:
        // a response that cannot be built (no signing key, the client's keys unreachable) leaves the code
        // unspent for a retry, and nothing holds the code's row lock or a connection while signing.
        Plan plan = plan(codes.find(presented), parameters, client, now);
        Outcome outcome = transactor.inTransaction(() -> redeemAndStore(presented, plan, client, now));
        if (outcome instanceof Outcome.Issued issued) {
            return issued.response();
        }
        if (outcome instanceof Outcome.Refused refused) {
            throw refused.reason();
        }
        Redemption redemption = ((Outcome.NotRedeemed) outcome).redemption();
        if (redemption instanceof Redemption.Replayed replayed) {
            // RFC 6749 §4.1.2: a code used twice must fail, and what its first use issued should be revoked;
            // but only at the word of the client the code belongs to, or anyone who saw a used code (a log, a
            // referrer) could end its owner's sign-in with any public client id.
            if (!replayed.code().clientId().equals(client.id())) {
                throw OAuthException.invalidGrant("the authorization code is not valid");
            }
            revocation.revoke(replayed.code().grantId(), "authorization_code_replay");
            throw OAuthException.invalidGrant(
                    "the authorization code was already used; tokens issued with it have been revoked");
        }
        if (redemption instanceof Redemption.Expired) {
            throw OAuthException.invalidGrant("the authorization code has expired; start a new authorization request");
        }
        throw OAuthException.invalidGrant("the authorization code is not valid");
    }

    /** What the redemption transaction did; a revocation must outlive it, so it is decided afterwards. */
    private sealed interface Outcome {
        record Issued(TokenResponse response) implements Outcome { }

        /** The code was spent and a check failed: committed, so the code stays spent (see the class doc). */
        record Refused(OAuthException reason) implements Outcome { }

        record NotRedeemed(Redemption redemption) implements Outcome { }
    }

    /** What the code as found allows: a built response, a refusal, or nothing to build (unknown, used, expired). */
    private sealed interface Plan {
        record Respond(AuthorizationCode code, TokenIssuer.Prepared prepared, OpaqueToken refreshToken)
                implements Plan { }

        record Refuse(OAuthException reason) implements Plan { }

        record Nothing() implements Plan { }
    }

    private Plan plan(Optional<StoredCode> found, TokenParameters parameters, AuthenticatedClient client, Instant now) {
        if (found.isEmpty() || found.get().usedAt() != null || !now.isBefore(found.get().code().expiresAt())) {
            return new Plan.Nothing(); // redeem() says which; a replay must go through it
        }
        AuthorizationCode code = found.get().code();
        UserAuthorization authorization;
        try {
            authorization = authorize(code, parameters, client);
        } catch (OAuthException refused) {
            return new Plan.Refuse(refused);
        }
        OpaqueToken refreshToken = RefreshPolicy.issuesRefreshToken(client.client(), code.scopes())
                ? OpaqueToken.generate(OpaqueToken.REFRESH_PREFIX) : null;
        return new Plan.Respond(code, issuer.prepare(authorization, refreshToken == null ? null : refreshToken.value()),
                refreshToken);
    }

    private Outcome redeemAndStore(TokenHash presented, Plan plan, AuthenticatedClient client, Instant now) {
        Redemption redemption = codes.redeem(presented, now);
        if (!(redemption instanceof Redemption.Redeemed)) {
            return new Outcome.NotRedeemed(redemption);
        }
        if (plan instanceof Plan.Refuse refuse) {
            return new Outcome.Refused(refuse.reason());
        }
        if (!(plan instanceof Plan.Respond respond)) { // codes never become unused again; roll back if one did
            throw new IllegalStateException("a code was redeemed that could not be redeemed when it was found");
        }
        if (respond.refreshToken() != null) {
            startRefreshFamily(respond.code(), client, respond.refreshToken(), now);
        }
        issuer.store(respond.prepared());
        return new Outcome.Issued(respond.prepared().response());
    }

    private UserAuthorization authorize(AuthorizationCode code, TokenParameters parameters, AuthenticatedClient client) {
        // RFC 6749 §4.1.3: the code must have been issued to the authenticated client.
        if (!code.clientId().equals(client.id())) {
            throw OAuthException.invalidGrant("the authorization code was issued to another client");
        }
        // RFC 6749 §4.1.3: redirect_uri must be identical when the authorization request included it.
        String redirectUri = parameters.single("redirect_uri");
        if (code.redirectUri() != null && !code.redirectUri().equals(redirectUri)) {
            throw OAuthException.invalidGrant(redirectUri == null
                    ? "redirect_uri is required because the authorization request included it"
                    : "redirect_uri does not match the one in the authorization request");
        }
        verifyPkce(code, parameters.single("code_verifier"));
        User user = users.findById(code.userId()).filter(User::enabled)
                .orElseThrow(() -> OAuthException.invalidGrant("the user of this authorization is no longer active"));
        List<String> audience = ResourceIndicators.narrow(client.client(), parameters.all("resource"), code.resources());
        return new UserAuthorization(client.client(), user, code.scopes(), code.authentication(), code.sessionId(),
                code.nonce(), code.grantId(), ClaimsRequestParser.parse(code.claimsRequest()), audience);
    }

    // RFC 7636 §4.6; a verifier without a challenge is refused too, so PKCE cannot be downgraded.
    private static void verifyPkce(AuthorizationCode code, String verifier) {
        if (code.pkce() == null) {
            if (verifier != null) {
                throw OAuthException.invalidGrant("code_verifier was sent but the authorization request had no code_challenge");
            }
            return;
        }
        if (verifier == null) {
            throw OAuthException.invalidGrant("code_verifier is required: the authorization request used PKCE");
        }
        if (!code.pkce().verify(verifier)) {
            throw OAuthException.invalidGrant("code_verifier does not match the code_challenge");
        }
    }

    private void startRefreshFamily(AuthorizationCode code, AuthenticatedClient client, OpaqueToken token, Instant now) {
        Instant familyExpiresAt = now.plus(settings.refreshTokenMaxTtl());
        Instant expiresAt = RefreshPolicy.min(now.plus(settings.refreshTokenTtl()), familyExpiresAt);
        refreshTokens.save(new RefreshToken(token.hash(), code.grantId(), client.id(), code.userId(), code.scopes(),
                code.authentication(), code.sessionId(), code.resources(), now, expiresAt, familyExpiresAt,
                code.claimsRequest()));
    }
}
