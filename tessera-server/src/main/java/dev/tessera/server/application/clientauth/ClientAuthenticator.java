package dev.tessera.server.application.clientauth;

import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;

import java.util.Optional;

/**
 * Authenticates a client at the token, introspection and revocation endpoints with the one method it
 * registered. Every failure is {@code invalid_client} with the same description for an unknown client
 * and a wrong secret, so the endpoint does not confirm which client ids exist.
 */
public final class ClientAuthenticator {
    private static final String FAILED = "client authentication failed";

    private final ClientStore clients;

    public ClientAuthenticator(ClientStore clients) {
        this.clients = clients;
    }

    public AuthenticatedClient authenticate(PresentedCredentials presented) {
        if (presented.usedBasic() && presented.formClientSecret() != null) {
            // RFC 6749 §2.3: a client must not use more than one authentication method per request.
            throw OAuthException.invalidRequest("client credentials were sent both in the Authorization header and in the body; use one");
        }
        if (presented.usedBasic() && presented.formClientId() != null
                && !presented.formClientId().equals(presented.basicId())) {
            throw OAuthException.invalidRequest("client_id in the body does not match the Authorization header");
        }
        String clientId = presented.usedBasic() ? presented.basicId() : presented.formClientId();
        if (clientId == null || clientId.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT,
                    "client authentication is required: send client_id (and client_secret) or HTTP Basic credentials");
        }
        Optional<Client> found = clients.find(clientId).filter(Client::enabled);
        if (found.isEmpty()) {
            // Burn the same work as a secret check so unknown ids are not faster.
            ClientSecrets.verify(secretOf(presented), "sha256$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            throw new OAuthException(OAuthError.INVALID_CLIENT, FAILED, "unknown or disabled client " + clientId);
        }
        Client client = found.get();
        TokenEndpointAuthMethod used = methodUsed(presented);
        if (client.publicClient()) {
            if (used != TokenEndpointAuthMethod.NONE) {
                throw new OAuthException(OAuthError.INVALID_CLIENT,
                        "this is a public client: send only client_id, without a secret");
            }
            return new AuthenticatedClient(client, TokenEndpointAuthMethod.NONE);
        }
        if (used == TokenEndpointAuthMethod.NONE) {
            throw new OAuthException(OAuthError.INVALID_CLIENT,
                    "this client must authenticate with " + client.authMethod().value());
        }
        if (used != client.authMethod()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT,
                    "this client is registered for " + client.authMethod().value() + ", not " + used.value());
        }
        if (!ClientSecrets.verify(secretOf(presented), client.secretHash())) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, FAILED, "wrong secret for client " + clientId);
        }
        return new AuthenticatedClient(client, used);
    }

    private static TokenEndpointAuthMethod methodUsed(PresentedCredentials presented) {
        if (presented.usedBasic()) {
            return TokenEndpointAuthMethod.CLIENT_SECRET_BASIC;
        }
        return presented.formClientSecret() != null
                ? TokenEndpointAuthMethod.CLIENT_SECRET_POST
                : TokenEndpointAuthMethod.NONE;
    }

    private static String secretOf(PresentedCredentials presented) {
        String secret = presented.usedBasic() ? presented.basicSecret() : presented.formClientSecret();
        return secret == null ? "" : secret;
    }
}
