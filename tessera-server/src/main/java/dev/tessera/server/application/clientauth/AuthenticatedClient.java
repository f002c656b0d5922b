package dev.tessera.server.application.clientauth;

import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;

/** A client whose identity was proven by {@code method} for this request. */
public record AuthenticatedClient(Client client, TokenEndpointAuthMethod method) {
    public String id() {
        return client.id();
    }
}
