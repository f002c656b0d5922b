package dev.tessera.server.application.grant;

import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.issue.AccessTokenFactory;
import dev.tessera.server.application.issue.ResourceIndicators;
import dev.tessera.server.application.token.Grant;
import dev.tessera.server.application.token.TokenParameters;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** RFC 6749 §4.4: a confidential client acting for itself; {@code sub} is the client id and no refresh token is issued. */
public final class ClientCredentialsGrant implements Grant {
    // User-facing scopes mean nothing without a user.
    private static final Scopes USER_ONLY = Scopes.of(Scopes.OPENID, Scopes.OFFLINE_ACCESS);

    private final AccessTokenFactory accessTokens;

    public ClientCredentialsGrant(AccessTokenFactory accessTokens) {
        this.accessTokens = accessTokens;
    }

    @Override
    public String grantType() {
        return GrantTypes.CLIENT_CREDENTIALS;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("scope", "resource");
    }

    @Override
    public Set<String> repeatableParameters() {
        return Set.of("resource"); // RFC 8707 §2
    }

    @Override
    public TokenResponse exchange(TokenParameters parameters, AuthenticatedClient authenticated) {
        Client client = authenticated.client();
        Scopes allowed = client.scopes().without(USER_ONLY);
        Scopes requested = Scopes.parse(parameters.single("scope"));
        Scopes granted;
        if (requested.isEmpty()) {
            granted = allowed;
        } else if (allowed.containsAll(requested)) {
            granted = requested;
        } else {
            // RFC 6749 §5.2: invalid_scope for a scope the client may not have.
            throw new OAuthException(OAuthError.INVALID_SCOPE,
                    "scope not allowed for this client: " + requested.without(allowed).asString());
        }
        List<String> resources = ResourceIndicators.narrow(client, parameters.all("resource"), null);
        AccessTokenFactory.IssuedToken token = accessTokens.createForClient(client, granted,
                resources.isEmpty() ? client.defaultAudience() : resources);
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("access_token", token.value());
        members.put("token_type", "Bearer");
        members.put("expires_in", token.expiresIn());
        if (!granted.isEmpty()) {
            members.put("scope", granted.asString());
        }
        return new TokenResponse(members);
    }
}
