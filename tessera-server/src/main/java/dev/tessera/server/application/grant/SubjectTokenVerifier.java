package dev.tessera.server.application.grant;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.issue.SubjectResolver;
import dev.tessera.server.application.keys.OwnTokenVerifier;
import dev.tessera.server.application.port.ConsentStore;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.RefreshTokenStore.StoredRefreshToken;
import dev.tessera.server.application.port.SessionStore;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.application.token.AccessTokenValidator;
import dev.tessera.server.application.token.AccessTokenValidator.LiveAccessToken;
import dev.tessera.server.application.token.PresentedTokens;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.Consent;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.client.SubjectType;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.token.TokenTypes;
import dev.tessera.server.domain.user.User;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * RFC 8693 §2.1 subject_token checks for tokens this server issued: the token is ours, live, bound to the caller
 * and really of the type the client named. Types are told apart positively: only ID tokens carry {@code typ: JWT}
 * (access tokens are {@code at+jwt}, ID-JAGs {@code oauth-id-jag+jwt}, and an encrypted ID token is no JWS at
 * all), and refresh tokens are found by hash in their own store. Every failure is invalid_request naming the
 * check (RFC 8693 §2.2.2).
 */
public final class SubjectTokenVerifier {
    private final OwnTokenVerifier ownTokens;
    private final AccessTokenValidator accessTokens;
    private final RefreshTokenStore refreshTokens;
    private final UserStore users;
    private final SessionStore sessions;
    private final ConsentStore consents;
    private final SubjectResolver subjects;
    private final GrantRevocation revocation;
    private final Clock clock;

    public SubjectTokenVerifier(OwnTokenVerifier ownTokens, AccessTokenValidator accessTokens, Stores stores,
                                SubjectResolver subjects, GrantRevocation revocation, Clock clock) {
        this.ownTokens = ownTokens;
        this.accessTokens = accessTokens;
        this.refreshTokens = stores.refreshTokens();
        this.users = stores.users();
        this.sessions = stores.sessions();
        this.consents = stores.consents();
        this.subjects = subjects;
        this.revocation = revocation;
        this.clock = clock;
    }

    /**
     * @param requireOpenid an ID-JAG asserts identity, so a refresh-token subject must come from an OpenID sign-in
     */
    Subject verify(String type, String token, Client caller, boolean requireOpenid) {
        return switch (type) {
            case TokenTypes.ID_TOKEN -> idToken(token, caller);
            case TokenTypes.REFRESH_TOKEN -> refreshToken(token, caller, requireOpenid);
            case TokenTypes.ACCESS_TOKEN -> accessToken(token, caller);
            default -> throw OAuthException.invalidRequest("this subject_token_type is not supported; use "
                    + TokenTypes.ID_TOKEN + ", " + TokenTypes.REFRESH_TOKEN + " or " + TokenTypes.ACCESS_TOKEN);
        };
    }

    private Subject idToken(String token, Client caller) {
        JWTClaimsSet claims = ownTokens.verify(token, JOSEObjectType.JWT).orElseThrow(() ->
                OAuthException.invalidRequest("the subject_token is not an ID token issued by this server"));
        requireUnexpired(claims.getExpirationTime());
        // OIDC Core §2: aud contains the client; with several audiences, azp names the one it was issued to.
        List<String> audience = claims.getAudience();
        String azp = JwtClaims.optionalString(claims, "azp");
        if (!audience.contains(caller.id()) || (audience.size() > 1 && !caller.id().equals(azp))) {
            throw issuedToAnotherClient();
        }
        User user = activeUser(userOfIdToken(claims, caller));
        return new Subject(user, authentication(claims), null, null);
    }

    // A pairwise sub cannot be reversed; the session the ID token names (sid) still knows its user.
    private Optional<User> userOfIdToken(JWTClaimsSet claims, Client caller) {
        if (caller.subjectType() != SubjectType.PAIRWISE) {
            return users.findById(claims.getSubject());
        }
        String sid = JwtClaims.optionalString(claims, "sid");
        Optional<User> user = Optional.ofNullable(sid)
                .flatMap(id -> sessions.findBySid(id, clock.instant()))
                .flatMap(session -> users.findById(session.userId()))
                .filter(found -> subjects.subjectFor(caller, found.id()).equals(claims.getSubject()));
        if (user.isEmpty()) {
            throw OAuthException.invalidRequest("the sign-in session of this ID token has ended;"
                    + " exchange a refresh token, or sign the user in again");
        }
        return user;
    }

    private Subject refreshToken(String token, Client caller, boolean requireOpenid) {
        StoredRefreshToken stored = PresentedTokens.findRefresh(refreshTokens, token).orElseThrow(() ->
                OAuthException.invalidRequest("the subject_token is not a refresh token issued by this server"));
        RefreshToken refresh = stored.token();
        if (!refresh.clientId().equals(caller.id())) {
            throw issuedToAnotherClient();
        }
        if (stored.rotatedAt() != null) {
            revocation.revokeReusedFamily(refresh.grantId(), caller.id(), "token_exchange");
            throw OAuthException.invalidRequest("the subject_token was already rotated;"
                    + " every token of this sign-in has been revoked, sign in again");
        }
        if (stored.revokedAt() != null) {
            throw OAuthException.invalidRequest("the subject_token has been revoked");
        }
        requireUnexpired(Date.from(refresh.expiresAt()));
        if (requireOpenid && !refresh.scopes().contains(Scopes.OPENID)) {
            throw OAuthException.invalidRequest("the refresh token's grant does not include openid,"
                    + " so it cannot assert the user's identity");
        }
        User user = activeUser(users.findById(refresh.userId()));
        return new Subject(user, refresh.authentication(), refresh.scopes(), refresh.grantId());
    }

    private Subject accessToken(String token, Client caller) {
        LiveAccessToken live = accessTokens.validate(token).orElseThrow(() ->
                OAuthException.invalidRequest("the subject_token is not an active access token issued by this server"));
        if (!caller.id().equals(live.clientId())) {
            throw issuedToAnotherClient();
        }
        // Only user tokens carry auth_time; a client_credentials token stands for no user.
        if (live.claims().getClaim("auth_time") == null) {
            throw OAuthException.invalidRequest("the subject_token does not stand for a user");
        }
        // The sub of a pairwise client's token cannot be reversed; the token's record names the user.
        User user = activeUser(users.findById(accessTokens.localSubject(live)));
        Scopes scopes = Scopes.parse(live.stringClaim("scope"));
        return new Subject(user, authentication(live.claims()), scopes, null);
    }

    private void requireUnexpired(Date expiresAt) {
        if (expiresAt == null || !expiresAt.toInstant().isAfter(clock.instant())) {
            throw OAuthException.invalidRequest("the subject_token has expired");
        }
    }

    private static User activeUser(Optional<User> user) {
        return user.filter(User::enabled).orElseThrow(() ->
                OAuthException.invalidRequest("the user of the subject_token is no longer active"));
    }

    private static OAuthException issuedToAnotherClient() {
        return OAuthException.invalidRequest("the subject_token was issued to another client");
    }

    /**
     * The scopes a new access token for this subject may carry. An ID token proves a sign-in, not an authorization,
     * so it stands only for what the user already granted the caller (looked up only when needed: ID-JAGs carry the
     * other server's scopes and never ask).
     */
    Scopes allowedScopes(Subject subject, Client caller) {
        if (subject.scopes() != null) {
            return subject.scopes();
        }
        if (caller.consent() == ConsentPolicy.SKIP) {
            return caller.scopes();
        }
        return consents.find(subject.user().id(), caller.id()).map(Consent::scopes).orElse(Scopes.empty());
    }

    private static AuthenticationEvent authentication(JWTClaimsSet claims) {
        Object authTime = claims.getClaim("auth_time");
        if (!(authTime instanceof Number seconds)) {
            return null;
        }
        List<String> amr;
        try {
            List<String> listed = claims.getStringListClaim("amr");
            amr = listed == null ? List.of() : listed;
        } catch (ParseException e) {
            amr = List.of();
        }
        return new AuthenticationEvent(Instant.ofEpochSecond(seconds.longValue()),
                JwtClaims.optionalString(claims, "acr"), amr);
    }
}
