package dev.tessera.server.application.grant;

import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.issue.ClaimsRequest;
import dev.tessera.server.application.issue.ResourceIndicators;
import dev.tessera.server.application.issue.TokenIssuer;
import dev.tessera.server.application.issue.UserAuthorization;
import dev.tessera.server.application.port.AuthorizationCodeStore;
import dev.tessera.server.application.port.AuthorizationCodeStore.Redemption;
import dev.tessera.server.application.port.RefreshTokenStore;
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
import java.util.Set;

/**
 * RFC 6749 §4.1.3 with RFC 7636. The code is consumed by one atomic store call before anything is
 * checked, so two concurrent redemptions can never both mint tokens; the price is that a failed check
 * (wrong verifier, wrong client) also burns the code.
 */
public final class AuthorizationCodeGrant implements Grant {
    private final AuthorizationCodeStore codes;
    private final RefreshTokenStore refreshTokens;
    private final UserStore users;
    private final TokenIssuer issuer;
    private final GrantRevocation revocation;
    private final ServerSettings settings;
    private final Clock clock;

    public AuthorizationCodeGrant(AuthorizationCodeStore codes, RefreshTokenStore refreshTokens, UserStore users,
                                  TokenIssuer issuer, GrantRevocation revocation, ServerSettings settings, Clock clock) {
        this.codes = codes;
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.issuer = issuer;
        this.revocation = revocation;
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
        String presented = parameters.required("code");
        Instant now = clock.instant();
        Redemption redemption = codes.redeem(TokenHash.of(presented), now);
        AuthorizationCode code;
        if (redemption instanceof Redemption.Redeemed redeemed) {
            code = redeemed.code();
        } else if (redemption instanceof Redemption.Replayed replayed) {
            // RFC 6749 §4.1.2: a code used twice must fail, and what its first use issued should be revoked.
            revocation.revoke(replayed.code().grantId(), "authorization_code_replay");
            throw OAuthException.invalidGrant(
                    "the authorization code was already used; tokens issued with it have been revoked");
        } else if (redemption instanceof Redemption.Expired) {
            throw OAuthException.invalidGrant("the authorization code has expired; start a new authorization request");
        } else {
            throw OAuthException.invalidGrant("the authorization code is not valid");
        }
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
        UserAuthorization authorization = new UserAuthorization(client.client(), user, code.scopes(),
                code.authentication(), code.sessionId(), code.nonce(), code.grantId(),
                ClaimsRequest.parse(code.claimsRequest()), audience);
        return issuer.issue(authorization, startRefreshFamily(code, client, now));
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

    private String startRefreshFamily(AuthorizationCode code, AuthenticatedClient client, Instant now) {
        if (!RefreshPolicy.issuesRefreshToken(client.client(), code.scopes())) {
            return null;
        }
        OpaqueToken token = OpaqueToken.generate(OpaqueToken.REFRESH_PREFIX);
        Instant familyExpiresAt = now.plus(settings.refreshTokenMaxTtl());
        Instant expiresAt = RefreshPolicy.min(now.plus(settings.refreshTokenTtl()), familyExpiresAt);
        refreshTokens.save(new RefreshToken(token.hash(), code.grantId(), client.id(), code.userId(), code.scopes(),
                code.authentication(), code.sessionId(), code.resources(), now, expiresAt, familyExpiresAt));
        return token.value();
    }
}
