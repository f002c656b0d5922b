package dev.tessera.server.application.issue;

import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.domain.scope.Scopes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one mint the user grants share: access token, ID token when {@code openid} was granted, refresh token if given. */
public final class TokenIssuer {
    private final AccessTokenFactory accessTokens;
    private final IdTokenFactory idTokens;

    public TokenIssuer(AccessTokenFactory accessTokens, IdTokenFactory idTokens) {
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
    }

    /** @param refreshToken the refresh token value to hand out with this response, or null */
    public TokenResponse issue(UserAuthorization authorization, String refreshToken) {
        List<String> audience = authorization.resources().isEmpty()
                ? authorization.client().defaultAudience()
                : authorization.resources();
        AccessTokenFactory.IssuedToken access = accessTokens.create(authorization.client(),
                authorization.user().id(), authorization.scopes(), audience, authorization.authentication(),
                authorization.user().roles(), authorization.grantId());
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("access_token", access.value());
        members.put("token_type", "Bearer");
        members.put("expires_in", access.expiresIn());
        if (authorization.scopes().contains(Scopes.OPENID)) {
            members.put("id_token", idTokens.create(authorization.client(), authorization.user(),
                    authorization.scopes(), authorization.authentication(), authorization.nonce(),
                    authorization.sessionId(), access.value(), authorization.claimsRequest()));
        }
        if (refreshToken != null) {
            members.put("refresh_token", refreshToken);
        }
        members.put("scope", authorization.scopes().asString());
        return new TokenResponse(members);
    }
}
