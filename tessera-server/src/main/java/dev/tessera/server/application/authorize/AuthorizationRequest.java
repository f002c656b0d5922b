package dev.tessera.server.application.authorize;

import dev.tessera.server.domain.authz.PkceChallenge;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.scope.Scopes;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1). {@code parameters} keeps the
 * request as sent, so the login and consent forms can carry it and it is validated again on each step.
 *
 * @param redirectUriSent whether redirect_uri was in the request; if so the token request must repeat it
 * @param pkce null only for a confidential client registered with requirePkce: false that sent none
 * @param maxAge null when absent
 */
public record AuthorizationRequest(Client client, String redirectUri, boolean redirectUriSent, ResponseMode responseMode,
                                   String state, String nonce, Scopes scopes, PkceChallenge pkce, Set<String> prompts,
                                   Long maxAge, String loginHint, String idTokenHint, String claims,
                                   List<String> resources, Map<String, List<String>> parameters) {
    public AuthorizationRequest {
        prompts = Set.copyOf(prompts);
        resources = List.copyOf(resources);
        parameters = Map.copyOf(parameters);
    }

    public boolean prompt(String value) {
        return prompts.contains(value);
    }
}
