package dev.tessera.server.application.issue;

import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

import java.util.List;

/**
 * Everything a user's authorization stands for when tokens are minted from it, whether from a fresh
 * code or a refresh.
 *
 * @param nonce null unless the authorization request carried one (never repeated on refresh)
 */
public record UserAuthorization(Client client, User user, Scopes scopes, AuthenticationEvent authentication,
                                String sessionId, String nonce, GrantId grantId, ClaimsRequest claimsRequest,
                                List<String> resources) {
    public UserAuthorization {
        resources = List.copyOf(resources);
    }
}
