package dev.tessera.server.application.userinfo;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.issue.AccessTokenFactory;
import dev.tessera.server.application.issue.ClaimsAssembler;
import dev.tessera.server.application.issue.ClaimsRequest;
import dev.tessera.server.application.issue.SubjectResolver;
import dev.tessera.server.application.keys.OwnTokenVerifier;
import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OIDC Core §5.3. Only a live access token of ours that carries {@code openid} gets an answer: right
 * signature and issuer, unexpired, not revoked, its client and user still enabled. The claims are the
 * same ones the ID token would carry, through the shared {@link ClaimsAssembler}.
 */
public final class UserInfoService {
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final OwnTokenVerifier ownTokens;
    private final AccessTokenStore accessTokens;
    private final ClientStore clients;
    private final UserStore users;
    private final SubjectResolver subjects;
    private final ClaimsAssembler claims;
    private final Clock clock;

    public UserInfoService(OwnTokenVerifier ownTokens, AccessTokenStore accessTokens, ClientStore clients,
                           UserStore users, SubjectResolver subjects, ClaimsAssembler claims, Clock clock) {
        this.ownTokens = ownTokens;
        this.accessTokens = accessTokens;
        this.clients = clients;
        this.users = users;
        this.subjects = subjects;
        this.claims = claims;
        this.clock = clock;
    }

    public Map<String, Object> userInfo(String bearerToken) {
        JWTClaimsSet token = ownTokens.verify(bearerToken, AccessTokenFactory.AT_JWT)
                .orElseThrow(() -> invalidToken("the access token is not valid"));
        Instant now = clock.instant();
        Date expiry = token.getExpirationTime();
        if (expiry == null || !expiry.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
            throw invalidToken("the access token has expired");
        }
        if (token.getJWTID() == null || accessTokens.isRevoked(token.getJWTID())) {
            throw invalidToken("the access token has been revoked");
        }
        Scopes scopes = Scopes.parse(stringClaim(token, "scope"));
        if (!scopes.contains(Scopes.OPENID)) {
            throw new OAuthException(OAuthError.INSUFFICIENT_SCOPE, "the access token lacks the openid scope");
        }
        Client client = clients.find(stringClaim(token, "client_id")).filter(Client::enabled)
                .orElseThrow(() -> invalidToken("the client of this access token is no longer active"));
        User user = users.findById(token.getSubject()).filter(User::enabled)
                .orElseThrow(() -> invalidToken("the user of this access token is no longer active"));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("sub", subjects.subjectFor(client, user.id()));
        response.putAll(claims.claimsFor(user, client, scopes, ClaimsRequest.none(), ClaimsRequest.Target.USERINFO));
        return response;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static OAuthException invalidToken(String description) {
        return new OAuthException(OAuthError.INVALID_TOKEN, description);
    }
}
