package dev.tessera.server.domain.client;

import java.util.List;

/**
 * One audience this client may ask ID-JAGs for. Absent entries deny: a client may only reach the
 * authorization servers, scopes and resources the operator listed.
 */
public record IdJagPolicy(String audience, String clientId, List<String> scopes, List<String> resources,
                          String ssoClient, boolean email) {
    public IdJagPolicy {
        scopes = List.copyOf(scopes);
        resources = List.copyOf(resources);
    }
}
