package dev.tessera.server.application.issue;

import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.domain.scope.Scopes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mint the user grants share: access token, ID token when {@code openid} was granted, refresh token if
 * given. Building (slow: signatures, perhaps a client's keys fetched) is apart from storing (fast), so a grant
 * holds no lock and no transaction open while it signs.
 */
public final class TokenIssuer {
    private final AccessTokenFactory accessTokens;
    private final IdTokenFactory idTokens;

    public TokenIssuer(AccessTokenFactory accessTokens, IdTokenFactory idTokens) {
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
    }

    /**
     * Mints and signs the whole response (and encrypts the ID token where the client asked) without writing
     * anything: the grant stores {@link Prepared} with its rotation or redemption, in one short transaction,
     * only once nothing can fail any more.
     *
     * @param refreshToken the refresh token value to hand out with this response, or null
     */
    public Prepared prepare(UserAuthorization authorization, String refreshToken) {
        List<String> audience = authorization.resources().isEmpty()
                ? authorization.client().defaultAudience()
                : authorization.resources();
        AccessTokenFactory.Minted access = accessTokens.mint(authorization.client(),
                authorization.user().id(), authorization.scopes(), audience, authorization.authentication(),
                authorization.user().roles(), authorization.grantId())
                .withClaimsRequest(authorization.claimsRequest().json()); // userinfo answers the same request
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("access_token", access.token().value());
        members.put("token_type", "Bearer");
        members.put("expires_in", access.token().expiresIn());
        if (authorization.scopes().contains(Scopes.OPENID)) {
            members.put("id_token", idTokens.create(authorization.client(), authorization.user(),
                    authorization.scopes(), authorization.authentication(), authorization.nonce(),
                    authorization.sessionId(), access.token().value(), authorization.claimsRequest()));
        }
        if (refreshToken != null) {
            members.put("refresh_token", refreshToken);
        }
        members.put("scope", authorization.scopes().asString());
        return new Prepared(new TokenResponse(members), access);
    }

    /** The writes a prepared response depends on; call it inside the grant's transaction. */
    public void store(Prepared prepared) {
        accessTokens.record(prepared.accessToken());
    }

    /** A built and signed response whose access token is not recorded yet. */
    public record Prepared(TokenResponse response, AccessTokenFactory.Minted accessToken) {
        /**
         * The row {@link TokenIssuer#store} writes (null: nothing to store), for a grant whose own write stores it
         * in the same statement instead.
         */
        public IssuedAccessToken accessTokenRecord() {
            return accessToken.storeRecord();
        }

        @Override
        public String toString() {
            return "Prepared[" + accessToken + "]";
        }
    }
}
