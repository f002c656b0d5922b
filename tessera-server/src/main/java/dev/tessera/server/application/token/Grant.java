package dev.tessera.server.application.token;

import dev.tessera.server.application.clientauth.AuthenticatedClient;

import java.util.Map;
import java.util.Set;

/** One grant type at the token endpoint. {@link TokenService} runs every shared phase; a grant only exchanges. */
public interface Grant {
    String grantType();

    /** Form fields this grant reads; everything else is dropped before {@link #exchange}. */
    Set<String> parameters();

    /** Fields a spec lets repeat (e.g. RFC 8707 resource); any other repeat is invalid_request. */
    default Set<String> repeatableParameters() {
        return Set.of();
    }

    default boolean allowsPublicClients() {
        return false;
    }

    /**
     * True for grants that must refuse a DPoP proof rather than ignore it: where a spec requires a present proof
     * to be validated (ID-JAG draft), a silently unbound token would mislead the client.
     */
    default boolean refusesDPoP() {
        return false;
    }

    /** Discovery members this grant adds when it is registered (e.g. the token types it issues). */
    default Map<String, Object> metadata() {
        return Map.of();
    }

    TokenResponse exchange(TokenParameters parameters, AuthenticatedClient client);
}
