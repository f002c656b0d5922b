package dev.tessera.server.application.userinfo;

import dev.tessera.server.application.issue.ClaimsAssembler;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.application.issue.ClaimsRequestParser;
import dev.tessera.server.application.issue.SubjectResolver;
import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.application.token.AccessTokenValidator;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OIDC Core §5.3. Only a live access token of ours (JWT or opaque) that carries {@code openid} gets an
 * answer: unexpired, not revoked, its client and user still enabled. The claims are the
 * same ones the ID token would carry, through the shared {@link ClaimsAssembler}; the client's registration
 * decides whether they go out as JSON or as a signed (and maybe encrypted) JWT.
 */
public final class UserInfoService {
    private final AccessTokenValidator accessTokens;
    private final ClientStore clients;
    private final UserStore users;
    private final SubjectResolver subjects;
    private final ClaimsAssembler claims;
    private final UserInfoJwtFactory answers;
    private final AccessTokenStore issuedTokens;

    public UserInfoService(AccessTokenValidator accessTokens, ClientStore clients, UserStore users,
                           SubjectResolver subjects, ClaimsAssembler claims, UserInfoJwtFactory answers,
                           AccessTokenStore issuedTokens) {
        this.issuedTokens = issuedTokens;
        this.accessTokens = accessTokens;
        this.clients = clients;
        this.users = users;
        this.subjects = subjects;
        this.claims = claims;
        this.answers = answers;
    }

    public UserInfoAnswer userInfo(String bearerToken) {
        AccessTokenValidator.LiveAccessToken token = accessTokens.validate(bearerToken)
                .orElseThrow(() -> invalidToken("the access token is not valid, has expired or was revoked"));
        Scopes scopes = Scopes.parse(token.stringClaim("scope"));
        if (!scopes.contains(Scopes.OPENID)) {
            throw new OAuthException(OAuthError.INSUFFICIENT_SCOPE, "the access token lacks the openid scope");
        }
        Client client = clients.find(token.clientId()).filter(Client::enabled)
                .orElseThrow(() -> invalidToken("the client of this access token is no longer active"));
        // One read of the token's row serves both the local user id and the grant's claims request.
        Optional<AccessTokenStore.IssuedAccessToken> record = issuedTokens.find(token.jti());
        User user = users.findById(AccessTokenValidator.localSubject(token, record)).filter(User::enabled)
                .orElseThrow(() -> invalidToken("the user of this access token is no longer active"));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("sub", subjects.subjectFor(client, user.id()));
        response.putAll(claims.claimsFor(user, client, scopes, claimsRequestOf(record), ClaimsRequest.Target.USERINFO));
        return answers.answer(client, response);
    }

    // SPEC §5: the claims request was stored with the grant, on every access token minted from it.
    private static ClaimsRequest claimsRequestOf(Optional<AccessTokenStore.IssuedAccessToken> record) {
        String json = record.map(AccessTokenStore.IssuedAccessToken::claimsRequest).orElse(null);
        try {
            return ClaimsRequestParser.parse(json);
        } catch (OAuthException e) {
            return ClaimsRequest.none(); // checked at /authorize; a row that no longer parses asks for nothing
        }
    }

    private static OAuthException invalidToken(String description) {
        return new OAuthException(OAuthError.INVALID_TOKEN, description);
    }
}
